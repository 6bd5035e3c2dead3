package io.signstream.evaluator.api;

import java.util.List;

import io.signstream.evaluator.domain.EvaluatorException;
import io.signstream.evaluator.domain.Reasons;

/** page/size query parameters, taken as text so a bad value is a 400 with a reason rather than a bare 404. */
record Paging(int page, int size) {

    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 500;

    static Paging parse(String page, String size) {
        int p = number("page", page, 0);
        int s = number("size", size, DEFAULT_SIZE);
        if (p < 0) {
            throw EvaluatorException.badRequest(Reasons.BAD_PAGE, "page must be 0 or more, not " + p);
        }
        if (s < 1 || s > MAX_SIZE) {
            throw EvaluatorException.badRequest(Reasons.BAD_PAGE, "size must be within 1.." + MAX_SIZE + ", not " + s);
        }
        return new Paging(p, s);
    }

    private static int number(String name, String text, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw EvaluatorException.badRequest(Reasons.BAD_PAGE, name + " must be a whole number, not '" + text + "'");
        }
    }

    /** One page of per-sample results. */
    record Page<T>(int page, int size, int total, int totalPages, List<T> items) {
    }

    <T> Page<T> of(List<T> all) {
        int from = (int) Math.min((long) page * size, all.size());
        int to = Math.min(from + size, all.size());
        return new Page<>(page, size, all.size(), (all.size() + size - 1) / size, all.subList(from, to));
    }
}
