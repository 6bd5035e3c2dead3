package io.signstream.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/** What the launcher tells the person at the terminal: stages with elapsed time, never silence. */
public final class Progress {

    private final PrintStream out;
    private final Instant started = Instant.now();

    public Progress(PrintStream out) {
        this.out = out;
    }

    public void stage(String message) {
        Duration elapsed = Duration.between(started, Instant.now());
        out.printf("[signstream %02d:%02d] %s%n", elapsed.toMinutes(), elapsed.toSecondsPart(), message);
        out.flush();
    }

    public PrintStream out() {
        return out;
    }
}
