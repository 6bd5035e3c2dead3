package io.signstream.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code --name value} and {@code --flag} options plus positional arguments. */
record Options(Map<String, String> named, List<String> positional) {

    private static final java.util.Set<String> FLAGS = java.util.Set.of("tiny", "keep-up", "kafka-auth");

    static Options parse(List<String> args, int maxPositional) {
        Map<String, String> named = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--")) {
                String name = arg.substring(2);
                int equals = name.indexOf('=');
                if (equals >= 0) {
                    named.put(name.substring(0, equals), name.substring(equals + 1));
                } else if (FLAGS.contains(name)) {
                    named.put(name, "true");
                } else if (i + 1 < args.size()) {
                    named.put(name, args.get(++i));
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
            } else {
                positional.add(arg);
            }
        }
        if (positional.size() > maxPositional) {
            throw new IllegalArgumentException("unexpected arguments " + positional);
        }
        return new Options(named, positional);
    }

    boolean has(String name) {
        return named.containsKey(name);
    }

    String get(String name, String fallback) {
        return named.getOrDefault(name, fallback);
    }

    void ifPresent(String name, Consumer<String> action) {
        if (named.containsKey(name)) {
            action.accept(named.get(name));
        }
    }
}
