package io.signstream.normalization.api;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.signstream.localstack.EndpointAccess;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;

/** The one endpoint: no token 401, a token without a role 403, a viewer 200. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class AuthorizationTest {

    @BeforeEach
    void anonymous() {
        TestTokens.restAssuredAnonymous();
    }

    @Test
    void statusNeedsARole() {
        EndpointAccess.read("/normalization", 200).check();
    }
}
