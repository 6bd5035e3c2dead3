package io.signstream.evaluator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.minio.MinioClient;
import io.quarkus.test.common.WithTestResource;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.Topics;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;
import io.signstream.evaluator.domain.Evaluation;
import io.signstream.evaluator.storage.EvaluationStore;
import io.signstream.localstack.TopicProbe;
import io.signstream.scoring.Vocabulary;
import io.signstream.scoring.decode.CtcDecoder;
import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;

/**
 * The acceptance test on the real broker and S3 server: a checkpoint written as the trainer writes it and
 * announced on training.events is evaluated on dev without anyone asking, the result is served over REST, published
 * on evaluation.results, and stored so that a fresh store (as a restarted service builds) lists it. RestartTest then
 * boots a new application instance and finds it again.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutomaticEvaluationTest {

    /** This class tests what the endpoints do; who may call them is AuthorizationTest's. */
    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    static final String RUN = "auto-run";
    private static final String OTHER_RUN = "auto-run-other";
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    /** The application's own client, on the shared stack's bucket. */
    @Inject
    MinioClient minio;
    @ConfigProperty(name = "signstream.object-store.bucket")
    String bucket;

    private static String automaticId;

    /** Polls GET /evaluations/{id} until the job is finished. */
    static JsonPath awaitFinished(String id) {
        long deadline = System.nanoTime() + TestData.evaluationTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath job = given().when().get("/evaluations/" + id).then().statusCode(200).extract().jsonPath();
            String status = job.getString("status");
            if ("COMPLETED".equals(status) || "FAILED".equals(status)) {
                return job;
            }
            sleep(500);
        }
        throw new AssertionError("evaluation " + id + " did not finish within " + TestData.evaluationTimeout());
    }

    @Test
    @Order(1)
    void aCheckpointAnnouncedOnTrainingEventsIsEvaluatedOnDevAutomatically() throws Exception {
        TestData.publishOnce(bootstrap);
        TestData.writeCheckpoint(minio, bucket, RUN, 1, TestData.NORMALIZATION, 3);
        TestData.announce(bootstrap, bucket, RUN, 1, TestData.NORMALIZATION);

        // nobody POSTs: the listener must queue it
        String found = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (found == null && System.nanoTime() < deadline) {
            List<Map<String, Object>> listed = given().when().get("/evaluations?run=" + RUN).then().statusCode(200)
                    .extract().jsonPath().getList("$");
            found = listed.stream().filter(e -> "training-event".equals(e.get("trigger"))).map(e -> (String) e.get("id"))
                    .findFirst().orElse(null);
            if (found == null) {
                sleep(300);
            }
        }
        assertNotNull(found, "no automatic evaluation of " + RUN + " appeared after the CHECKPOINT_WRITTEN event");
        final String id = found;
        automaticId = id;

        JsonPath job = awaitFinished(id);
        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertEquals("dev", job.getString("split"));
        assertEquals(RUN, job.getString("checkpoint.run"));
        assertEquals(1, job.getInt("checkpoint.epoch"));
        assertEquals("greedy", job.getString("decoder.type"));
        assertEquals(TestData.NORMALIZATION, job.getString("normalization"));
        assertEquals(TestData.NORMALIZATION, job.getString("checkpoint.normalization"));

        // the scores are consistent with each other and with the dev split that was published
        long s = job.getLong("scores.substitutions");
        long d = job.getLong("scores.deletions");
        long i = job.getLong("scores.insertions");
        long n = job.getLong("scores.referenceLength");
        int sentences = job.getInt("scores.sentences");
        assertEquals(TestData.referenceLength(Split.DEV), n, "N is the reference glosses of the stamped dev samples");
        assertEquals(TestData.DATASET.count(Split.DEV), sentences);
        assertEquals((double) (s + d + i) / n, job.getDouble("scores.wer"), 1e-9);
        assertEquals((double) job.getInt("scores.sentenceErrors") / sentences, job.getDouble("scores.ser"), 1e-9);
        // the unstamped dev record was read and refused, not scored
        assertEquals(1, job.getInt("data.refused.NOT_NORMALIZED"), job.prettify());
        assertEquals(sentences, job.getInt("data.kept"));

        // per-sample results, paged, agree with the totals and with the published references
        JsonPath page = given().when().get("/evaluations/" + id + "/samples?page=0&size=3").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(sentences, page.getInt("total"));
        assertEquals(Math.min(3, sentences), page.getList("items").size());
        List<Map<String, Object>> all = given().when().get("/evaluations/" + id + "?size=500").then().statusCode(200)
                .extract().jsonPath().getList("samples.items");
        assertEquals(sentences, all.size());
        assertEquals(s, all.stream().mapToLong(r -> ((Number) r.get("substitutions")).longValue()).sum());
        assertEquals(d, all.stream().mapToLong(r -> ((Number) r.get("deletions")).longValue()).sum());
        assertEquals(i, all.stream().mapToLong(r -> ((Number) r.get("insertions")).longValue()).sum());
        Map<String, String> references = TestData.normalized(Split.DEV).stream()
                .collect(Collectors.toMap(FeatureSample::getSampleId, f -> String.join(" ", f.getGlossesList())));
        for (Map<String, Object> result : all) {
            assertEquals(references.get((String) result.get("id")), result.get("reference"));
        }

        // the same hypotheses as running the checkpoint's model directly, one sample at a time (no padding)
        assertEquals(directGreedyHypotheses(), all.stream().collect(Collectors.toMap(r -> (String) r.get("id"),
                r -> (String) r.get("hypothesis"))));

        // published on evaluation.results, key = evaluation id
        var record = new TopicProbe(bootstrap).awaitKey(Topics.EVALUATION_RESULTS, id, Duration.ofSeconds(30));
        JsonNode published = JSON.readTree(record.value());
        assertEquals("COMPLETED", published.get("status").asText());
        assertEquals(job.getDouble("scores.wer"), published.get("scores").get("wer").asDouble(), 0.0);
        assertEquals(n, published.get("scores").get("referenceLength").asLong());

        // stored durably: a fresh store on the same bucket, as a restarted service builds it, finds it whole
        EvaluationStore fresh = new EvaluationStore(minio, bucket);
        Evaluation stored = fresh.find(id).orElseThrow(() -> new AssertionError("evaluation " + id + " is not in the bucket"));
        assertEquals("COMPLETED", stored.status().name());
        assertEquals(job.getDouble("scores.wer"), stored.scores().wer(), 0.0);
        assertEquals(sentences, stored.samples().size());
        assertTrue(fresh.listByRun(RUN).stream().anyMatch(e -> e.id().equals(id)));

        // for the README: what a client sees
        System.out.println("EXAMPLE GET /evaluations/" + id + "?size=1\n"
                + given().when().get("/evaluations/" + id + "?size=1").then().extract().asPrettyString());
        System.out.println("EXAMPLE GET /runs/" + RUN + "/best\n"
                + given().when().get("/runs/" + RUN + "/best").then().extract().asPrettyString());

        // the best checkpoint of the run is this one
        given().when().get("/runs/" + RUN + "/best").then().statusCode(200)
                .body("epoch", equalTo(1)).body("evaluationId", equalTo(id));
    }

    @Test
    @Order(2)
    void aReplayedEventDoesNotEvaluateTheSameCheckpointTwiceAndJunkIsSkipped() {
        assertNotNull(automaticId, "needs the automatic evaluation of test 1");
        TestData.announce(bootstrap, bucket, RUN, 1, TestData.NORMALIZATION);
        // a record that is no TrainingEvent, then an event for a checkpoint that is not in the bucket
        new TopicProbe(bootstrap).send(Topics.TRAINING_EVENTS, RUN, "not a training event".getBytes());
        TestData.announce(bootstrap, bucket, OTHER_RUN, 9, TestData.NORMALIZATION);
        // the listener is still alive after them: the next checkpoint (another run) is evaluated
        TestData.writeCheckpoint(minio, bucket, OTHER_RUN, 1, TestData.NORMALIZATION, 0);
        TestData.announce(bootstrap, bucket, OTHER_RUN, 1, TestData.NORMALIZATION);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Map<String, Object>> other = List.of();
        while (other.isEmpty() && System.nanoTime() < deadline) {
            sleep(300);
            other = given().when().get("/evaluations?run=" + OTHER_RUN).then().statusCode(200)
                    .extract().jsonPath().getList("$");
        }
        assertEquals(1, other.size(), "exactly the announced checkpoint of " + OTHER_RUN + ": " + other);
        assertEquals(1, ((Number) ((Map<?, ?>) other.get(0).get("checkpoint")).get("epoch")).intValue());
        assertEquals("COMPLETED", awaitFinished((String) other.get(0).get("id")).getString("status"));
        given().when().get("/q/health/ready").then().statusCode(200);

        List<Map<String, Object>> automatic = given().when().get("/evaluations?run=" + RUN).then().statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("$").stream()
                .filter(e -> "training-event".equals(e.get("trigger")) && ((Number) ((Map<?, ?>) e.get("checkpoint"))
                        .get("epoch")).intValue() == 1)
                .toList();
        assertEquals(1, automatic.size(), automatic.toString());
    }

    @Test
    @Order(3)
    void aCheckpointTrainedOnOtherNormalizationIsRefused() {
        TestData.publishOnce(bootstrap);
        TestData.writeCheckpoint(minio, bucket, RUN, 2, TestData.OTHER_NORMALIZATION, 0);
        String id = given().contentType(ContentType.JSON)
                .body("{\"checkpoint\": {\"run\": \"" + RUN + "\", \"epoch\": 2}, \"split\": \"dev\"}")
                .when().post("/evaluations")
                .then().statusCode(202).body("status", equalTo("QUEUED"))
                .extract().path("id");
        JsonPath job = awaitFinished(id);
        assertEquals("FAILED", job.getString("status"));
        assertEquals("NORMALIZATION_MISMATCH", job.getString("reason"));
        assertTrue(job.getString("detail").contains(TestData.OTHER_NORMALIZATION), job.getString("detail"));
        assertEquals(TestData.DATASET.count(Split.DEV), job.getInt("data.refused.NORMALIZATION_MISMATCH"));
        assertNull(job.get("scores"));
        // a refused checkpoint never becomes the best one
        given().when().get("/runs/" + RUN + "/best").then().statusCode(200).body("epoch", equalTo(1));
    }

    @Test
    @Order(4)
    void theBestCheckpointWithBeamSearchOnTest() {
        TestData.publishOnce(bootstrap);
        var accepted = given().contentType(ContentType.JSON)
                .body("{\"checkpoint\": {\"run\": \"" + RUN + "\", \"epoch\": \"best\"}, \"split\": \"test\","
                        + " \"decoder\": {\"type\": \"beam\", \"beamWidth\": 4}}")
                .when().post("/evaluations")
                .then().statusCode(202)
                .body("checkpoint.epoch", equalTo(1)).body("checkpoint.selectedAs", equalTo("best"))
                .extract();
        String id = accepted.path("id");
        assertTrue(accepted.header("Location").endsWith("/evaluations/" + id), accepted.header("Location"));
        JsonPath job = awaitFinished(id);
        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertEquals("beam", job.getString("decoder.type"));
        assertEquals(4, job.getInt("decoder.beamWidth"));
        assertEquals(TestData.referenceLength(Split.TEST), job.getLong("scores.referenceLength"));
        assertEquals(TestData.DATASET.count(Split.TEST), job.getInt("scores.sentences"));
        List<String> splits = given().when().get("/evaluations?run=" + RUN + "&split=test").then().statusCode(200)
                .extract().jsonPath().getList("split");
        assertTrue(!splits.isEmpty() && splits.stream().allMatch("test"::equals), splits.toString());
    }

    /** Id of a job this test leaves RUNNING in the bucket, as a crashed instance would; RestartTest expects it finished. */
    static final String LEFT_RUNNING_ID = "ev-left-running-by-a-crash";
    /** The owner named in that job: an instance that never wrote a heartbeat, so a dead one. */
    static final String CRASHED_INSTANCE = "evaluator-crashed-0000";

    @Test
    @Order(5)
    void aJobLeftRunningByACrashedInstanceIsTakenOverAndVisibleThroughTheBucket() {
        EvaluationStore store = new EvaluationStore(minio, bucket);
        store.save(Evaluation.queued(LEFT_RUNNING_ID, Evaluation.TRIGGER_API,
                new Evaluation.CheckpointInfo(RUN, 1, "epoch", TestData.NORMALIZATION), "dev",
                io.signstream.evaluator.domain.DecoderSpec.greedy(), false).running().ownedBy(CRASHED_INSTANCE));
        // every instance answers from the bucket: this one sees a job it never queued, at once
        JsonPath seen = given().when().get("/evaluations/" + LEFT_RUNNING_ID).then().statusCode(200).extract().jsonPath();
        assertTrue(List.of("RUNNING", "QUEUED", "COMPLETED").contains(seen.getString("status")), seen.prettify());
        // its owner has no heartbeat: this instance (the holder of training.events partition 0) takes it over
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String owner = CRASHED_INSTANCE;
        while (CRASHED_INSTANCE.equals(owner) && System.nanoTime() < deadline) {
            sleep(200);
            owner = store.find(LEFT_RUNNING_ID).orElseThrow().owner();
        }
        assertNotEquals(CRASHED_INSTANCE, owner, "taken over by a live instance");
        assertEquals(owner, given().when().get("/q/health/live").then().statusCode(200).extract().jsonPath()
                .getString("checks.find { it.name == 'evaluation-worker' }.data.instance"), "this instance took it");
    }

    /** Greedy hypotheses of the dev samples from the checkpoint's own files, computed here without the service. */
    private Map<String, String> directGreedyHypotheses() {
        io.signstream.checkpoint.CheckpointStore store = new io.signstream.checkpoint.CheckpointStore(minio, bucket);
        var ref = new io.signstream.checkpoint.CheckpointRef(RUN, 1);
        Vocabulary vocabulary = Vocabulary.fromJson(store.read(ref, "vocabulary.json"));
        TeacherConfig config = TeacherConfig.fromJson(store.read(ref, "config.json"));
        Map<String, String> hypotheses = new java.util.HashMap<>();
        try (TeacherSession session = TeacherSession.create(config, vocabulary.size(), 99L)) {
            session.loadParameters(new java.io.ByteArrayInputStream(store.read(ref, "parameters.bin")));
            for (FeatureSample sample : TestData.normalized(Split.DEV)) {
                List<float[][]> logProbs = session.logProbs(TeacherBatch.pad(
                        List.of(FeatureTensor.toFloats(sample.getFeatures())), null));
                List<String> glosses = new ArrayList<>(vocabulary.decode(CtcDecoder.greedy(logProbs.get(0))));
                hypotheses.put(sample.getSampleId(), String.join(" ", glosses));
            }
        }
        return hypotheses;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }
}
