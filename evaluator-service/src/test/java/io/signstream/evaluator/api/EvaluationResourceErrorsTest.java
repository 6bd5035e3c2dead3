package io.signstream.evaluator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.minio.MinioClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.evaluator.TestData;
import io.signstream.evaluator.SharedStack;

/** Every 4xx answer carries {"reason", "detail"}; nothing here needs a model. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class EvaluationResourceErrorsTest {

    /** This class tests what the endpoints do; who may call them is AuthorizationTest's. */
    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    /** A run with one checkpoint (a manifest over placeholder files), so that 404s about epochs can be told apart. */
    private static final String RUN = "errors-run";

    /** The application's own client, on the shared stack's bucket. */
    @Inject
    MinioClient minio;
    @ConfigProperty(name = "signstream.object-store.bucket")
    String bucket;

    private void runWithOneCheckpoint() {
        CheckpointStore store = new CheckpointStore(minio, bucket);
        if (store.manifest(new CheckpointRef(RUN, 1)).isEmpty()) {
            store.write(new CheckpointRef(RUN, 1), java.util.Map.of("placeholder.bin", new byte[] {1, 2, 3}),
                    TestData.NORMALIZATION, java.util.Map.of());
        }
    }

    private static void post(String body, int status, String reason) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/evaluations")
                .then().statusCode(status)
                .contentType(ContentType.JSON)
                .body("reason", equalTo(reason))
                .body("detail", not(emptyOrNullString()));
    }

    @Test
    void malformedJson() {
        post("{\"checkpoint\": {\"run\": ", 400, "MALFORMED_JSON");
        post("", 400, "INVALID_REQUEST");
        post("{\"checkpoint\": {\"run\": \"x\"}, \"beam\": 4}", 400, "INVALID_REQUEST");
    }

    @Test
    void badDecoderParameters() {
        post("{\"checkpoint\": {\"run\": \"x\"}, \"decoder\": {\"type\": \"beam\", \"beamWidth\": 0}}", 400, "BAD_DECODER");
        post("{\"checkpoint\": {\"run\": \"x\"}, \"decoder\": {\"type\": \"beam\", \"beamWidth\": 100}}", 400, "BAD_DECODER");
        post("{\"checkpoint\": {\"run\": \"x\"}, \"decoder\": {\"type\": \"sampling\"}}", 400, "BAD_DECODER");
    }

    @Test
    void unknownSplitRunAndCheckpoint() {
        runWithOneCheckpoint();
        post("{\"checkpoint\": {\"run\": \"" + RUN + "\", \"epoch\": 1}, \"split\": \"train\"}", 400, "UNKNOWN_SPLIT");
        post("{\"checkpoint\": {\"run\": \"no-such-run\", \"epoch\": 1}}", 404, "UNKNOWN_RUN");
        post("{\"checkpoint\": {\"run\": \"no-such-run\"}}", 404, "UNKNOWN_RUN");
        post("{\"checkpoint\": {\"run\": \"" + RUN + "\", \"epoch\": 5}}", 404, "UNKNOWN_CHECKPOINT");
        post("{\"checkpoint\": {\"run\": \"" + RUN + "\", \"epoch\": \"best\"}}", 404, "NO_BEST_CHECKPOINT");
        post("{\"checkpoint\": {\"run\": \"bad/run\", \"epoch\": 1}}", 400, "BAD_RUN_ID");
    }

    @Test
    void queriesWithBadParameters() {
        given().when().get("/evaluations/ev-does-not-exist").then().statusCode(404)
                .body("reason", equalTo("UNKNOWN_EVALUATION"));
        given().when().get("/evaluations/ev-does-not-exist/samples").then().statusCode(404)
                .body("reason", equalTo("UNKNOWN_EVALUATION"));
        given().when().get("/evaluations/ev-x?page=-1").then().statusCode(400).body("reason", equalTo("BAD_PAGE"));
        given().when().get("/evaluations/ev-x?size=abc").then().statusCode(400).body("reason", equalTo("BAD_PAGE"));
        given().when().get("/evaluations/ev-x/samples?size=501").then().statusCode(400).body("reason", equalTo("BAD_PAGE"));
        given().when().get("/evaluations?run=no-such-run").then().statusCode(404).body("reason", equalTo("UNKNOWN_RUN"));
        given().when().get("/evaluations?split=train").then().statusCode(400).body("reason", equalTo("UNKNOWN_SPLIT"));
        given().when().get("/evaluations?status=DONE").then().statusCode(400).body("reason", equalTo("BAD_STATUS"));
        given().when().get("/runs/no-such-run/best").then().statusCode(404).body("reason", equalTo("UNKNOWN_RUN"));
        runWithOneCheckpoint();
        given().when().get("/runs/" + RUN + "/best").then().statusCode(404)
                .body("reason", equalTo("NO_BEST_CHECKPOINT"))
                .body("detail", containsString(RUN));
    }

    @Test
    void wrongMethodIsAJsonError() {
        given().when().delete("/evaluations").then().statusCode(405).body("reason", equalTo("METHOD_NOT_ALLOWED"));
    }

    @Test
    void healthAndMetricsAreServed() throws InterruptedException {
        given().when().get("/q/health/live").then().statusCode(200);
        // the consumer reports ready once it has joined its group
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (given().when().get("/q/health/ready").then().extract().statusCode() != 200
                && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        // the Kafka connector's own check, one entry per channel: the events consumer and the results producer
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.status",
                        equalTo("UP"))
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.data.keySet()",
                        org.hamcrest.Matchers.hasItems("training-events", "evaluation-results"));
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
