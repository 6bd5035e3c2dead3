package io.signstream.ingest.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that needs what the other classes of the module left on the shared broker (a restart test: the
 * imports of a previous application instance); {@link AnnotatedLastClassOrderer} runs it after them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RunsAfterTheOthers {
}
