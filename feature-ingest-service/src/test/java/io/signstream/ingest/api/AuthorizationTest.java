package io.signstream.ingest.api;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.signstream.localstack.EndpointAccess;
import io.signstream.localstack.LocalAuth;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.signstream.rest.Roles;

/** Every endpoint: no token 401, a wrong role 403, its role its usual answer; foreign and expired tokens 401. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class AuthorizationTest {

    @BeforeEach
    void anonymous() {
        TestTokens.restAssuredAnonymous();
    }

    static Stream<EndpointAccess> endpoints() {
        return Stream.of(
                EndpointAccess.upload("/samples", Roles.PUBLISHER, 400),
                EndpointAccess.write("/imports", "{\"directory\": \"no-such-dataset\"}", Roles.PUBLISHER, 404),
                EndpointAccess.read("/imports", 200),
                EndpointAccess.read("/imports/no-such-import", 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void onlyTheRightRoleGetsThrough(EndpointAccess endpoint) {
        endpoint.check();
    }

    @Test
    void tokensOfAnotherKeyOrExpiredAreRefused() throws Exception {
        LocalAuth impostor = LocalAuth.in(Files.createTempDirectory("impostor-"));
        EndpointAccess imports = EndpointAccess.read("/imports", 200);
        imports.checkRefused(impostor.token("mallory", List.of(Roles.VIEWER), Duration.ofMinutes(5)));
        imports.checkRefused(LocalAuth.shared().token("late", List.of(Roles.VIEWER), Duration.ofHours(-1)));
        imports.checkRefused("not-a-jwt");
    }
}
