package io.signstream.trainer.api;

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
                EndpointAccess.write("/runs", "{\"epochs\": 0}", Roles.TRAINER, 400),
                EndpointAccess.write("/runs/no-such-run/stop", null, Roles.TRAINER, 404),
                EndpointAccess.write("/runs/no-such-run/resume", null, Roles.TRAINER, 404),
                EndpointAccess.write("/diagnostics", "{\"samples\": 0}", Roles.TRAINER, 400),
                EndpointAccess.read("/runs", 200),
                EndpointAccess.read("/runs/no-such-run", 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void onlyTheRightRoleGetsThrough(EndpointAccess endpoint) {
        endpoint.check();
    }
}
