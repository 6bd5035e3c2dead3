package io.signstream.contract;

import java.util.Arrays;
import java.util.List;

/** PHOENIX annotations are glosses separated by whitespace. */
public final class Glosses {

    private Glosses() {
    }

    public static List<String> parse(String annotation) {
        if (annotation == null || annotation.isBlank()) {
            return List.of();
        }
        return Arrays.asList(annotation.trim().split("\\s+"));
    }

    public static String join(List<String> glosses) {
        return String.join(" ", glosses);
    }
}
