package io.signstream.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.signstream.localstack.LocalAuth;

/**
 * {@code ./signstream token --role publisher [--role viewer] [--hours N]}: a bearer token of the local stack's
 * issuer (the key pair {@code up} created under the stack's home) for curl, Python and other clients.
 */
final class LocalTokenCommand {

    static final Set<String> ROLES = Set.of("publisher", "trainer", "evaluator", "viewer");

    private LocalTokenCommand() {
    }

    static String token(LauncherSettings settings, List<String> args) {
        List<String> roles = new ArrayList<>();
        long hours = 12;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size() || !(option.equals("--role") || option.equals("--hours"))) {
                throw new IllegalArgumentException("token takes --role ROLE (repeatable) and --hours N, not '" + option + "'");
            }
            String value = args.get(++i);
            if (option.equals("--hours")) {
                hours = Long.parseLong(value);
            } else if (ROLES.contains(value)) {
                roles.add(value);
            } else {
                throw new IllegalArgumentException("role '" + value + "' is not one of " + ROLES);
            }
        }
        if (hours < 1) {
            throw new IllegalArgumentException("--hours must be at least 1");
        }
        List<String> granted = roles.isEmpty() ? List.copyOf(ROLES) : roles;
        return LocalAuth.in(settings.home().resolve("auth")).token(System.getProperty("user.name", "local-user"),
                granted, Duration.ofHours(hours));
    }
}
