package io.signstream.normalization.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.Topics;
import io.signstream.localstack.LocalStack;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.signstream.localstack.TopicProbe;
import io.signstream.normalization.TestSamples;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class NormalizationResourceTest {

    /** This class tests what the endpoints do; who may call them is AuthorizationTest's. */
    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    private final TopicProbe probe = new TopicProbe(LocalStack.shared().bootstrapServers());

    @Test
    void describesTheActiveMethodAndTopics() {
        given().when().get("/normalization").then()
                .statusCode(200)
                .body("method", equalTo("zscore-per-channel"))
                .body("methodVersion", equalTo(2))
                .body("parameters.'noise-floor'", equalTo("1.0E-5"))
                .body("parameters.'noise-ulps'", equalTo("16"))
                .body("parameters.divisor", equalTo("std"))
                .body("topics.source", equalTo("features.raw"))
                .body("topics.normalized.train", equalTo("features.normalized.train"))
                .body("topics.normalized.dev", equalTo("features.normalized.dev"))
                .body("topics.normalized.test", equalTo("features.normalized.test"))
                .body("topics.rejected", equalTo("features.rejected"))
                .body("groupId", equalTo("signstream-normalization"))
                .body("running", equalTo(true));
    }

    /** Liveness and readiness are the Kafka connector's own checks, one entry per channel (and copy of it). */
    @Test
    void theConnectorReportsItsChannelsLiveAndReady() throws InterruptedException {
        int status = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            status = given().when().get("/q/health/ready").then().extract().statusCode();
            if (status == 200) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals(200, status, "readiness");
        given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.status",
                        equalTo("UP"))
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.data.keySet()",
                        hasItems("raw", "normalized"));
        given().when().get("/q/health/live").then()
                .statusCode(200)
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - liveness check' }.data.keySet()",
                        hasItems("raw", "normalized"));
        given().when().get("/normalization").then()
                .body("joinedGroup", equalTo(true))
                .body("assignedPartitions", hasItems("features.raw-0", "features.raw-3"));
    }

    @Test
    void countsRecordsInOutAndRejectedByReasonAndExportsThemAsMetrics() throws InterruptedException {
        JsonPath before = given().get("/normalization").then().extract().jsonPath();
        String good = TestSamples.uniqueId("counted");
        String bad = TestSamples.uniqueId("counted-bad");
        float[] values = TestSamples.patterned();
        values[FeatureLayout.DIMS * 2] = Float.NaN;
        probe.send(Topics.FEATURES_RAW, good, FeatureSampleCodec.encode(TestSamples.raw(good).build()));
        probe.send(Topics.FEATURES_RAW, bad,
                FeatureSampleCodec.encode(TestSamples.raw(bad, values, TestSamples.FRAMES).build()));
        probe.awaitKey(Topics.FEATURES_NORMALIZED_DEV, good, Duration.ofSeconds(60));
        probe.awaitKey(Topics.FEATURES_REJECTED, bad, Duration.ofSeconds(60));

        // Counters move once the batch is acknowledged, a moment after the outputs are readable.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonPath after = given().get("/normalization").then().extract().jsonPath();
        while (after.getLong("counters.recordsOut") < before.getLong("counters.recordsOut") + 1
                || after.getLong("counters.recordsRejected") < before.getLong("counters.recordsRejected") + 1) {
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(100);
            after = given().get("/normalization").then().extract().jsonPath();
        }
        assertEquals(true, after.getLong("counters.recordsIn") >= before.getLong("counters.recordsIn") + 2);
        assertEquals(true, after.getLong("counters.recordsOut") >= before.getLong("counters.recordsOut") + 1);
        assertEquals(true, after.getLong("counters.rejectedByReason.NON_FINITE") >= 1);
        assertEquals(true, after.getLong("counters.bytesIn") > before.getLong("counters.bytesIn"));

        given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("signstream_normalization_records_in_total"))
                .body(containsString("signstream_normalization_records_out_total"))
                .body(containsString("signstream_normalization_records_rejected_total{reason=\"NON_FINITE\"}"))
                .body(containsString("signstream_normalization_bytes_in_total"))
                .body(containsString("signstream_normalization_bytes_out_total"))
                .body(containsString("signstream_normalization_record_latency_seconds_count"));
        given().get("/normalization").then().body("counters.recordsIn", greaterThanOrEqualTo(2));
    }
}
