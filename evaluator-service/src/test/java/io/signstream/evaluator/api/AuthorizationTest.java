package io.signstream.evaluator.api;

import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.signstream.localstack.EndpointAccess;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.signstream.rest.Roles;

/** Every endpoint: no token 401, a wrong role 403, its role its usual answer (requests it refuses cheaply). */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class AuthorizationTest {

    @BeforeEach
    void anonymous() {
        TestTokens.restAssuredAnonymous();
    }

    static Stream<EndpointAccess> endpoints() {
        return Stream.of(
                EndpointAccess.write("/evaluations", "{}", Roles.EVALUATOR, 400),
                EndpointAccess.read("/evaluations", 200),
                EndpointAccess.read("/evaluations/no-such-evaluation", 404),
                EndpointAccess.read("/evaluations/no-such-evaluation/samples", 404),
                EndpointAccess.read("/runs/no-such-run/best", 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void onlyTheRightRoleGetsThrough(EndpointAccess endpoint) {
        endpoint.check();
    }
}
