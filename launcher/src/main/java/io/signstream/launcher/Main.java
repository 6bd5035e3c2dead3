package io.signstream.launcher;

import java.util.Arrays;
import java.util.List;

/** {@code ./signstream <command>}: see {@link #USAGE}. */
public final class Main {

    static final String USAGE = String.join("\n",
            "usage: ./signstream <command>",
            "  up               start Kafka, the object store and the four services; wait until ready",
            "  down             stop everything 'up' started",
            "  status           what runs, where",
            "  publish DIR      bulk-import a PHOENIX-layout folder through the ingest service",
            "  train [--epochs N] [--batch-size N] [--lr X] [--model small|default] [--seed N] [--max-frames N]",
            "                   start a training run and follow it",
            "  eval RUN [--split dev|test] [--checkpoint latest|best|EPOCH] [--beam N]",
            "                   evaluate a run's checkpoint and print WER",
            "  demo [--tiny]    synthetic data -> publish -> normalize -> train -> evaluate -> report",
            "  test             run every test (handled by the ./signstream script)");

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.out.println(USAGE);
            return;
        }
        LauncherSettings settings = LauncherSettings.fromEnvironment(System.getenv());
        Progress progress = new Progress(System.out);
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            int exit = run(args[0], rest, settings, progress);
            System.exit(exit);
        } catch (IllegalArgumentException e) {
            System.err.println("signstream: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("signstream: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String command, List<String> args, LauncherSettings settings, Progress progress) {
        Stack stack = new Stack(settings, progress);
        switch (command) {
            case "up" -> stack.up();
            case "down" -> {
                return stack.down().isEmpty() ? 0 : 1;
            }
            case "status" -> stack.status().forEach(progress.out()::println);
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        }
        return 0;
    }
}
