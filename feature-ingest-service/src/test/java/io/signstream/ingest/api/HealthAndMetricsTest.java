package io.signstream.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.signstream.ingest.support.TestSamples;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.signstream.rest.Roles;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class HealthAndMetricsTest {

    /** Uploads carry a publisher's token; health and metrics are read without one (probes and scrapers have none). */
    @BeforeEach
    void asPublisher() {
        TestTokens.restAssuredAs(Roles.PUBLISHER);
    }

    @Test
    void readinessAndStartupAreTheConnectorsChecksOfTheRawChannel() {
        TestTokens.restAssuredAnonymous();
        // ready: the broker answers (describe cluster)
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.data.raw",
                        containsString("[OK]"));
        // started: features.raw exists and every partition has a leader
        given().when().get("/q/health/started")
                .then().statusCode(200)
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - startup check' }.data.raw",
                        containsString("[OK]"));
    }

    @Test
    void acceptedAndRefusedSamplesAreCounted() {
        SampleResourceTest.upload("a.npy", TestSamples.npy(1), TestSamples.uniqueId("metrics"), "train", "A")
                .statusCode(201);
        SampleResourceTest.upload("a.npy", TestSamples.npy(1), TestSamples.uniqueId("metrics"), "train", " ")
                .statusCode(422);
        TestTokens.restAssuredAnonymous();
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("signstream_ingest_samples_accepted_total{source=\"upload\"}"))
                .body(containsString("signstream_ingest_samples_refused_total{reason=\"EMPTY_GLOSSES\",source=\"upload\"}"))
                .body(containsString("signstream_ingest_feature_bytes_total{source=\"upload\"}"));
    }
}
