package io.signstream.ingest.support;

import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import io.quarkus.test.junit.util.QuarkusTestProfileAwareClassOrderer;

/**
 * Quarkus' own order (test classes grouped by profile, so the application restarts as seldom as it can), then the
 * classes marked {@link RunsAfterTheOthers} moved to the end (a stable sort: the rest keep their order). Set as
 * {@code quarkus.test.class-orderer} in application.properties.
 */
public class AnnotatedLastClassOrderer implements ClassOrderer {

    private final ClassOrderer quarkus = new QuarkusTestProfileAwareClassOrderer();

    @Override
    public void orderClasses(ClassOrdererContext context) {
        quarkus.orderClasses(context);
        context.getClassDescriptors().sort(Comparator.comparing(AnnotatedLastClassOrderer::last));
    }

    /** By name: Quarkus may load a test class in another class loader than this orderer's. */
    private static boolean last(ClassDescriptor descriptor) {
        return Arrays.stream(descriptor.getTestClass().getAnnotations()).map(Annotation::annotationType)
                .anyMatch(type -> type.getName().equals(RunsAfterTheOthers.class.getName()));
    }
}
