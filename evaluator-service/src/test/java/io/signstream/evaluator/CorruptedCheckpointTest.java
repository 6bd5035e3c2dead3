package io.signstream.evaluator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.signstream.checkpoint.CheckpointDamage;
import io.signstream.checkpoint.CheckpointFiles;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;

/**
 * A checkpoint the evaluator already scored gets a flipped bit, on the real S3 server: "best" passes over it for the
 * next best intact checkpoint and says why, marks it (kept, not deleted), and "latest" does the same; an epoch written
 * again after it was scored is not taken for the checkpoint that was scored.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class CorruptedCheckpointTest {

    private static final String RUN = "damaged-best-run";

    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    MinioClient minio;
    @ConfigProperty(name = "signstream.object-store.bucket")
    String bucket;

    private String evaluate(String epoch, String split) {
        return given().contentType(ContentType.JSON)
                .body("{\"checkpoint\": {\"run\": \"" + RUN + "\", \"epoch\": " + epoch + "}, \"split\": \"" + split
                        + "\"}")
                .when().post("/evaluations").then().statusCode(202).extract().path("id");
    }

    private byte[] get(String object) throws Exception {
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(object).build())) {
            return in.readAllBytes();
        }
    }

    @Test
    void bestAndLatestPassOverADamagedCheckpointAndSayWhy() throws Exception {
        TestData.publishOnce(bootstrap);
        TestData.writeCheckpoint(minio, bucket, RUN, 1, TestData.NORMALIZATION, 3);
        TestData.writeCheckpoint(minio, bucket, RUN, 2, TestData.NORMALIZATION, 0);
        String first = evaluate("1", "dev");
        String second = evaluate("2", "dev");
        assertEquals("COMPLETED", AutomaticEvaluationTest.awaitFinished(first).getString("status"));
        assertEquals("COMPLETED", AutomaticEvaluationTest.awaitFinished(second).getString("status"));

        JsonPath before = given().when().get("/runs/" + RUN + "/best").then().statusCode(200).extract().jsonPath();
        int best = before.getInt("epoch");
        int other = 3 - best;
        assertTrue(before.getList("skipped").isEmpty(), before.prettify());

        // one bit flipped in the scored best checkpoint's parameters: same size, only SHA-256 can tell
        CheckpointRef damaged = new CheckpointRef(RUN, best);
        byte[] tampered = get(damaged.object(CheckpointFiles.PARAMETERS));
        tampered[tampered.length / 3] ^= 0x04;
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object(damaged.object(CheckpointFiles.PARAMETERS))
                .stream(new ByteArrayInputStream(tampered), tampered.length, -1).build());

        JsonPath after = given().when().get("/runs/" + RUN + "/best").then().statusCode(200).extract().jsonPath();
        assertEquals(other, after.getInt("epoch"), after.prettify());
        assertEquals(1, after.getList("skipped").size(), after.prettify());
        assertEquals(best, after.getInt("skipped[0].epoch"));
        assertEquals("CHECKPOINT_CORRUPTED", after.getString("skipped[0].reason"));
        assertEquals(CheckpointFiles.PARAMETERS, after.getString("skipped[0].file"));
        assertTrue(after.getString("skipped[0].detail").contains("SHA-256"), after.prettify());
        assertEquals(before.getString("evaluationId"), after.getString("skipped[0].evaluationId"));

        // marked next to it, and kept as it is
        CheckpointStore store = new CheckpointStore(minio, bucket);
        CheckpointDamage marker = store.damage(damaged).orElseThrow();
        assertEquals("evaluator", marker.detectedBy());
        assertEquals(CheckpointFiles.PARAMETERS, marker.file());
        assertArrayEquals(tampered, get(damaged.object(CheckpointFiles.PARAMETERS)));

        // every place that picks a checkpoint for the caller passes over it
        String onBest = given().contentType(ContentType.JSON)
                .body("{\"checkpoint\": {\"run\": \"" + RUN + "\", \"epoch\": \"best\"}, \"split\": \"test\"}")
                .when().post("/evaluations").then().statusCode(202)
                .body("checkpoint.epoch", equalTo(other)).body("checkpoint.selectedAs", equalTo("best"))
                .extract().path("id");
        int newestIntact = best == 2 ? 1 : 2;
        String onLatest = given().contentType(ContentType.JSON)
                .body("{\"checkpoint\": {\"run\": \"" + RUN + "\", \"epoch\": \"latest\"}, \"split\": \"test\"}")
                .when().post("/evaluations").then().statusCode(202)
                .body("checkpoint.epoch", equalTo(newestIntact)).extract().path("id");
        assertEquals("COMPLETED", AutomaticEvaluationTest.awaitFinished(onBest).getString("status"));
        assertEquals("COMPLETED", AutomaticEvaluationTest.awaitFinished(onLatest).getString("status"));
        // named explicitly, it is evaluated and refused with the reason
        JsonPath refused = AutomaticEvaluationTest.awaitFinished(evaluate(String.valueOf(best), "dev"));
        assertEquals("FAILED", refused.getString("status"));
        assertEquals("CHECKPOINT_UNREADABLE", refused.getString("reason"));
        assertTrue(refused.getString("detail").contains("SHA-256"), refused.getString("detail"));

        // the other epoch written again (as a resumed run trains it anew): its old score is not the new checkpoint's
        TestData.writeCheckpoint(minio, bucket, RUN, other, TestData.NORMALIZATION, 1);
        given().when().get("/runs/" + RUN + "/best").then().statusCode(404)
                .body("reason", equalTo("NO_BEST_CHECKPOINT")).body("detail", containsString("CHECKPOINT_REWRITTEN"));
        // ...and its CHECKPOINT_WRITTEN is evaluated again, although that (run, epoch) was evaluated before
        TestData.announce(bootstrap, bucket, RUN, other, TestData.NORMALIZATION);
        String automatic = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (automatic == null && System.nanoTime() < deadline) {
            List<Map<String, Object>> listed = given().when().get("/evaluations?run=" + RUN).then().statusCode(200)
                    .extract().jsonPath().getList("$");
            automatic = listed.stream().filter(e -> "training-event".equals(e.get("trigger")))
                    .map(e -> (String) e.get("id")).findFirst().orElse(null);
            AutomaticEvaluationTest.sleep(300);
        }
        assertNotNull(automatic, "the rewritten checkpoint was not evaluated");
        assertEquals("COMPLETED", AutomaticEvaluationTest.awaitFinished(automatic).getString("status"));
        JsonPath rewritten = given().when().get("/runs/" + RUN + "/best").then().statusCode(200).extract().jsonPath();
        assertEquals(other, rewritten.getInt("epoch"));
        assertEquals(automatic, rewritten.getString("evaluationId"), rewritten.prettify());
    }
}
