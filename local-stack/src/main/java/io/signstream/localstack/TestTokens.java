package io.signstream.localstack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;

/** Bearer tokens of the shared stack's issuer for tests: real RS256 tokens the services verify like any other. */
public final class TestTokens {

    /** Every role: for tests about what an endpoint does rather than who may call it. */
    public static final String[] EVERY_ROLE = { "viewer", "publisher", "trainer", "evaluator" };

    private static final Map<List<String>, String> TOKENS = new ConcurrentHashMap<>();

    private TestTokens() {
    }

    /** A token whose {@code groups} are exactly these roles (none: authenticated, but with no role). */
    public static String withRoles(String... roles) {
        return TOKENS.computeIfAbsent(List.of(roles),
                key -> LocalAuth.shared().token("test-" + String.join("-", key), key, Duration.ofHours(2)));
    }

    /** Every later REST Assured request carries a token with these roles (call it in {@code @BeforeEach}). */
    public static void restAssuredAs(String... roles) {
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", "Bearer " + withRoles(roles)).build();
    }

    /** Every later REST Assured request carries a token with every role. */
    public static void restAssuredAsEveryRole() {
        restAssuredAs(EVERY_ROLE);
    }

    /** Later REST Assured requests carry no token. */
    public static void restAssuredAnonymous() {
        RestAssured.requestSpecification = null;
    }
}
