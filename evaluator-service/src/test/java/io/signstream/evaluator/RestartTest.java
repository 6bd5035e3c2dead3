package io.signstream.evaluator;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.minio.MinioClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.signstream.evaluator.domain.Evaluation;
import io.signstream.evaluator.domain.EvaluationStatus;
import io.signstream.evaluator.storage.EvaluationStore;

/**
 * A restarted service: its own test profile makes Quarkus stop the application the other test classes used and boot
 * a new instance on the same (JVM-wide) broker and bucket. Automatic evaluation is off in this instance, so whatever
 * it serves comes from the object store, not from replaying training.events. Runs after the default-profile classes
 * (Quarkus orders test classes by profile: the default profile first).
 */
@QuarkusTest
@TestProfile(RestartTest.RestartedService.class)
@WithTestResource(LocalStackTestResource.class)
class RestartTest {

    /** This class tests what the endpoints do; who may call them is AuthorizationTest's. */
    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    public static class RestartedService implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("signstream.evaluator.auto-evaluate", "false");
        }
    }

    /** The application's own client, on the shared stack's bucket. */
    @Inject
    MinioClient minio;
    @ConfigProperty(name = "signstream.object-store.bucket")
    String bucket;
    @ConfigProperty(name = "signstream.evaluator.auto-evaluate")
    boolean autoEvaluate;

    @Test
    void evaluationsOfThePreviousInstanceAreServedAfterTheRestart() {
        assertEquals(false, autoEvaluate, "this class must run in its own application instance");
        List<Evaluation> stored = new EvaluationStore(minio, bucket)
                .listByRun(AutomaticEvaluationTest.RUN);
        Evaluation automatic = stored.stream()
                .filter(e -> Evaluation.TRIGGER_TRAINING_EVENT.equals(e.trigger()) && e.status() == EvaluationStatus.COMPLETED)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no completed automatic evaluation of " + AutomaticEvaluationTest.RUN
                        + " in the bucket: run this class together with AutomaticEvaluationTest (it writes it first)"));

        // listing works after the restart and shows every stored evaluation of the run
        assertTrue(stored.stream().anyMatch(e -> e.id().equals(AutomaticEvaluationTest.LEFT_RUNNING_ID)));
        List<String> listed = given().when().get("/evaluations?run=" + AutomaticEvaluationTest.RUN).then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertEquals(stored.stream().map(Evaluation::id).sorted().toList(), listed.stream().sorted().toList());

        // the result itself, scores and per-sample results, is whole
        JsonPath job = given().when().get("/evaluations/" + automatic.id()).then().statusCode(200).extract().jsonPath();
        assertEquals("COMPLETED", job.getString("status"));
        assertEquals(automatic.scores().wer(), job.getDouble("scores.wer"), 0.0);
        assertEquals(automatic.scores().referenceLength(), job.getLong("scores.referenceLength"));
        assertEquals(automatic.samples().size(), job.getInt("samples.total"));
        assertTrue(job.getList("samples.items").size() > 0);

        // a job a crashed instance left RUNNING is run again (taken over by whichever instance swept first) and
        // completes: the same checkpoint, split and decoder as the automatic evaluation, so the same scores
        JsonPath resumed = AutomaticEvaluationTest.awaitFinished(AutomaticEvaluationTest.LEFT_RUNNING_ID);
        assertEquals("COMPLETED", resumed.getString("status"), resumed.prettify());
        assertEquals(automatic.scores().wer(), resumed.getDouble("scores.wer"), 0.0);
        assertEquals(automatic.scores().referenceLength(), resumed.getLong("scores.referenceLength"));

        // and so is the best checkpoint of the run
        given().when().get("/runs/" + AutomaticEvaluationTest.RUN + "/best").then().statusCode(200)
                .body("epoch", org.hamcrest.Matchers.equalTo(automatic.checkpoint().epoch()));
    }
}
