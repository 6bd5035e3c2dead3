package io.signstream.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.signstream.ingest.support.TestSamples;
import io.signstream.localstack.LocalAuth;
import io.signstream.localstack.TestTokens;
import io.signstream.rest.Roles;

/** No broker listening: a valid upload is answered 503 (not published), and the pod reports not ready. */
@QuarkusTest
@TestProfile(BrokerUnavailableTest.NoBroker.class)
class BrokerUnavailableTest {

    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(LocalAuth.shared().serviceConfig());
            config.putAll(Map.of(
                    // port 1 (tcpmux) is never a Kafka broker here
                    "kafka.bootstrap.servers", "127.0.0.1:1",
                    "mp.messaging.outgoing.raw.max.block.ms", "1000",
                    "mp.messaging.outgoing.raw.request.timeout.ms", "1000",
                    "mp.messaging.outgoing.raw.delivery.timeout.ms", "2000",
                    "mp.messaging.outgoing.raw.health-topic-verification-timeout", "1000"));
            return config;
        }
    }

    @BeforeEach
    void asPublisher() {
        TestTokens.restAssuredAs(Roles.PUBLISHER);
    }

    @Test
    void validUploadIsAnswered503WhenTheBrokerDoesNotAcknowledge() {
        SampleResourceTest.upload("a.npy", TestSamples.npy(1), TestSamples.uniqueId("nobroker"), "train", "A")
                .statusCode(503)
                .header("Retry-After", notNullValue())
                .body("reason", equalTo("BROKER_UNAVAILABLE"))
                .body("detail", containsString("was not published to features.raw"));
    }

    @Test
    void invalidUploadIsStillRefusedWithItsReason() {
        SampleResourceTest.upload("a.npy", TestSamples.npyWith(1, 0, 0, Float.NaN), TestSamples.uniqueId("nobroker"),
                "train", "A").statusCode(422).body("reason", equalTo("NON_FINITE"));
    }

    @Test
    void notReadyWithoutBroker() {
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.status",
                        equalTo("DOWN"))
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.data.raw",
                        containsString("KO"));
    }
}
