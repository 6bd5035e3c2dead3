package io.signstream.trainer.api;

import io.signstream.contract.FeatureDerivations;
import io.signstream.contract.NormalizationStamps;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.minio.MinioClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.signstream.checkpoint.CheckpointManifest;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.contract.Topics;
import io.signstream.contract.events.EventJson;
import io.signstream.contract.events.TrainingEvent;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.signstream.localstack.TopicProbe;
import io.signstream.trainer.NormalizedFixture;

/** The REST API on the real broker and S3 server: a tiny synthetic set trained for a few CPU epochs. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunResourceTest {

    /** This class tests what the endpoints do; who may call them is AuthorizationTest's. */
    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "signstream.object-store.bucket")
    String bucket;
    @Inject
    MinioClient minio;

    @BeforeEach
    void publishTheDataSet() {
        NormalizedFixture.publish(bootstrapServers, Topics.FEATURES_NORMALIZED);
    }

    private static String body(String runId, int epochs) {
        return body(runId, epochs, "");
    }

    private static String body(String runId, int epochs, String more) {
        return "{\"runId\":\"" + runId + "\",\"epochs\":" + epochs + ",\"batchSize\":4,\"learningRate\":0.003,"
                + "\"warmupSteps\":2,\"seed\":11,\"model\":\"small\"" + more + "}";
    }

    private static JsonPath awaitStatus(String runId, String status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath run;
        do {
            run = given().get("/runs/" + runId).then().statusCode(200).extract().jsonPath();
            if (status.equals(run.getString("status"))) {
                return run;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("run " + runId + " not " + status + " within " + timeout + ": " + run.prettify());
    }

    private List<TrainingEvent> events(String runId, TrainingEvent.Type until) {
        return new TopicProbe(bootstrapServers).readUntil(Topics.TRAINING_EVENTS,
                records -> records.stream().anyMatch(r -> runId.equals(r.key())
                        && EventJson.read(r.value(), TrainingEvent.class).type() == until),
                Duration.ofSeconds(30)).stream()
                .filter(r -> runId.equals(r.key())).map(ConsumerRecord::value)
                .map(v -> EventJson.read(v, TrainingEvent.class)).toList();
    }

    @Test
    @Order(1)
    void refusesBadRequestsWithAReason() {
        given().contentType(ContentType.JSON).body("{\"epochs\":0}").post("/runs")
                .then().statusCode(400).body("reason", equalTo("INVALID_REQUEST")).body("detail", containsString("epochs"));
        given().contentType(ContentType.JSON).body("{\"model\":\"huge\"}").post("/runs")
                .then().statusCode(400).body("detail", containsString("unknown model preset"));
        given().contentType(ContentType.JSON).body("{\"runId\":\"../x\",\"model\":\"small\"}").post("/runs")
                .then().statusCode(400).body("detail", containsString("run id"));
        given().contentType(ContentType.JSON).body("{\"model\":\"small\",\"temporalStride\":8}").post("/runs")
                .then().statusCode(400).body("reason", equalTo("INVALID_REQUEST"))
                .body("detail", containsString("temporalStride must be one of [1, 4, 16]"));
        given().contentType(ContentType.JSON).body("{\"model\":\"small\",\"maxUnalignableShare\":1.5}").post("/runs")
                .then().statusCode(400).body("reason", equalTo("INVALID_REQUEST"))
                .body("detail", containsString("maxUnalignableShare"));
        given().contentType(ContentType.JSON).body("{\"model\":\"small\",\"auxiliaryCtcWeight\":-1}").post("/runs")
                .then().statusCode(400).body("reason", equalTo("INVALID_REQUEST"))
                .body("detail", containsString("auxiliaryCtcWeight"));
        given().contentType(ContentType.JSON).body("{\"model\":\"small\",\"weightAverageDecay\":1.0}").post("/runs")
                .then().statusCode(400).body("reason", equalTo("INVALID_REQUEST"))
                .body("detail", containsString("weightAverageDecay must be in [0, 1)"));
        given().get("/runs/no-such-run").then().statusCode(404).body("reason", equalTo("UNKNOWN_RUN")).body("detail", containsString("no-such-run"));
        given().post("/runs/no-such-run/stop").then().statusCode(404);
    }

    /** Order 2's run, COMPLETED; Order 3's run, STOPPED: what the resume test refuses to resume. */
    private static String completedRunId;
    private static String stoppedRunId;

    @Test
    @Order(2)
    void trainsARunCheckpointsEveryEpochAndAnnouncesIt() throws Exception {
        String runId = "rest-" + UUID.randomUUID().toString().substring(0, 8);
        completedRunId = runId;
        given().contentType(ContentType.JSON)
                .body(body(runId, 3, ",\"temporalStride\":4,\"maxUnalignableShare\":0.1,\"auxiliaryCtcWeight\":0.5"
                        + ",\"weightAverageDecay\":0.9"))
                .post("/runs")
                .then().statusCode(201).header("Location", containsString("/runs/" + runId))
                .body("runId", equalTo(runId)).body("options.model.temporalStride", equalTo(4))
                .body("options.model.auxiliaryCtcWeight", equalTo(0.5f))
                .body("options.model.weightAverageDecay", equalTo(0.9f))
                .body("options.maxUnalignableShare", equalTo(0.1f));
        given().contentType(ContentType.JSON).body(body("second-" + runId, 3)).post("/runs")
                .then().statusCode(409).body("reason", equalTo("RUN_CONFLICT")).body("detail", containsString("one run at a time"));

        JsonPath done = awaitStatus(runId, "COMPLETED", Duration.ofMinutes(4));
        List<Float> losses = done.getList("epochLosses", Float.class);
        assertEquals(3, losses.size());
        assertTrue(losses.get(2) < losses.get(0), "loss fell: " + losses);
        assertEquals(3, done.getInt("lastCheckpointEpoch"));
        assertEquals(5, done.getInt("vocabularySize"));
        assertEquals(12, done.getInt("step"));
        assertEquals(1, done.getInt("refusedRecords.NOT_NORMALIZED"), "the unstamped record is refused");
        // 16 train samples plus the refused unstamped one, all uploaded as finished features (no derivation stamp)
        assertEquals(Map.of(FeatureDerivations.AS_UPLOADED, 17), done.getMap("featureDerivations"));
        assertTrue(done.getString("device").startsWith("cpu"), done.getString("device"));
        assertEquals(1.0, done.getDouble("firstBatch.overall.std"), 0.05, "normalized input reaches the model");
        assertEquals(NormalizationStamps.describe(NormalizedFixture.STAMP), done.getString("normalization"));
        // 2-3 glosses in 32-72 frames: every sample aligns at stride 4; 16 at stride 16 would lose some
        assertEquals(4, done.getInt("feasibility.temporalStride"));
        assertEquals(16, done.getInt("feasibility.samples"));
        assertEquals(0, done.getInt("feasibility.unalignable"));
        assertEquals(0.0, done.getDouble("feasibility.unalignableShare"));
        assertEquals(0.1, done.getDouble("feasibility.maxUnalignableShare"), 1e-9);
        Map<String, Object> byStride = done.getMap("feasibility.unalignableByStride");
        assertEquals(0, byStride.get("1"));
        assertEquals(0, byStride.get("4"));
        assertTrue(List.of(4, 16).contains(done.getInt("feasibility.fittingStride")), done.prettify());
        assertEquals(null, done.getString("reason"));

        CheckpointManifest manifest = new CheckpointStore(minio, bucket).latest(runId).orElseThrow();
        assertEquals(3, manifest.epoch());
        assertTrue(manifest.file("parameters.bin").isPresent() && manifest.file("optimizer.bin").isPresent()
                && manifest.file("vocabulary.json").isPresent(), manifest.files().toString());

        List<TrainingEvent> events = events(runId, TrainingEvent.Type.RUN_COMPLETED);
        assertEquals(List.of(1, 2, 3), events.stream().filter(e -> e.type() == TrainingEvent.Type.CHECKPOINT_WRITTEN)
                .map(TrainingEvent::epoch).toList());
        assertTrue(events.stream().anyMatch(e -> e.type() == TrainingEvent.Type.RUN_STARTED));
        assertTrue(events.stream().filter(e -> e.type() == TrainingEvent.Type.CHECKPOINT_WRITTEN)
                .allMatch(e -> e.metrics().get("unalignable_samples") == 0.0 && e.metrics().get("temporal_stride") == 4.0),
                events.toString());

        List<Map<String, Object>> all = given().get("/runs").then().statusCode(200).extract().jsonPath().getList("$");
        assertTrue(all.stream().anyMatch(r -> runId.equals(r.get("runId"))));
    }

    @Test
    @Order(3)
    void stopsARunOnRequest() throws Exception {
        String runId = "stop-" + UUID.randomUUID().toString().substring(0, 8);
        stoppedRunId = runId;
        // the stride and the temporal attention chosen without a full modelConfig
        given().contentType(ContentType.JSON).body(body(runId, 50, ",\"temporalStride\":1,\"temporalAttention\":true"))
                .post("/runs").then().statusCode(201).body("options.model.temporalStride", equalTo(1))
                .body("options.model.temporalAttention", equalTo(true));
        awaitStatus(runId, "RUNNING", Duration.ofMinutes(2));
        given().post("/runs/" + runId + "/stop").then().statusCode(202).body("runId", equalTo(runId));
        JsonPath stopped = awaitStatus(runId, "STOPPED", Duration.ofMinutes(2));
        assertTrue(stopped.getString("message").contains("stopped on request"), stopped.getString("message"));
        assertTrue(events(runId, TrainingEvent.Type.RUN_STOPPED).stream()
                .anyMatch(e -> e.type() == TrainingEvent.Type.RUN_STOPPED));
        given().post("/runs/" + runId + "/stop").then().statusCode(409);
    }

    private static JsonPath awaitCheckpoint(String runId, int epoch, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath run;
        do {
            run = given().get("/runs/" + runId).then().statusCode(200).extract().jsonPath();
            if (run.get("lastCheckpointEpoch") != null && run.getInt("lastCheckpointEpoch") >= epoch) {
                return run;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("run " + runId + " has no checkpoint " + epoch + " within " + timeout + ": "
                + run.prettify());
    }

    /** The run's run.json with another status, as the trainer writes it when a run fails. */
    private void markFailed(String runId) throws Exception {
        String object = "runs/" + runId + "/run.json";
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode run;
        try (var in = minio.getObject(io.minio.GetObjectArgs.builder().bucket(bucket).object(object).build())) {
            run = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(in);
        }
        run.put("status", "FAILED");
        run.put("message", "failed in the test: the pod's disk went away");
        byte[] json = mapper.writeValueAsBytes(run);
        minio.putObject(io.minio.PutObjectArgs.builder().bucket(bucket).object(object)
                .stream(new java.io.ByteArrayInputStream(json), json.length, -1).build());
    }

    @Test
    @Order(5)
    void resumesAStoppedOrFailedRunOnRequestFromItsNewestIntactCheckpoint() throws Exception {
        given().post("/runs/no-such-run/resume").then().statusCode(404).body("reason", equalTo("UNKNOWN_RUN"))
                .body("detail", containsString("no-such-run"));
        given().post("/runs/" + completedRunId + "/resume").then().statusCode(409)
                .body("reason", equalTo("RUN_NOT_RESUMABLE")).body("detail", containsString("COMPLETED"));

        String runId = "resume-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(body(runId, 3)).post("/runs").then().statusCode(201);
        awaitCheckpoint(runId, 1, Duration.ofMinutes(3));
        given().post("/runs/" + runId + "/stop").then().statusCode(202);
        JsonPath stopped = awaitStatus(runId, "STOPPED", Duration.ofMinutes(2));
        int checkpoint = stopped.getInt("lastCheckpointEpoch");
        assertTrue(checkpoint >= 1 && checkpoint < 3, stopped.prettify());

        given().post("/runs/" + runId + "/resume").then().statusCode(202)
                .header("Location", containsString("/runs/" + runId))
                .body("runId", equalTo(runId)).body("status", equalTo("STARTING"))
                .body("lastCheckpointEpoch", equalTo(checkpoint)).body("epoch", equalTo(stopped.getInt("epoch")));
        // busy: the same run is not resumable while it runs; another stopped run waits for a free trainer
        given().post("/runs/" + runId + "/resume").then().statusCode(409).body("reason", equalTo("RUN_NOT_RESUMABLE"));
        given().post("/runs/" + stoppedRunId + "/resume").then().statusCode(409).body("reason", equalTo("RUN_CONFLICT"))
                .body("detail", containsString("one run at a time"));

        JsonPath done = awaitStatus(runId, "COMPLETED", Duration.ofMinutes(4));
        assertEquals(checkpoint, done.getInt("resumedFromEpoch"), "continued from its checkpoint");
        assertEquals(3, done.getList("epochLosses").size(), done.prettify());
        assertEquals(12, done.getInt("step"), "the schedule went on where it was");
        assertEquals(3, done.getInt("lastCheckpointEpoch"));
        assertTrue(done.getList("skippedCheckpoints").isEmpty(), done.prettify());
        CheckpointStore store = new CheckpointStore(minio, bucket);
        assertEquals(List.of(1, 2, 3), store.list(runId).stream().map(CheckpointManifest::epoch).toList());
        assertTrue(events(runId, TrainingEvent.Type.RUN_COMPLETED).stream().anyMatch(e ->
                e.type() == TrainingEvent.Type.RUN_STARTED && e.message().contains("resumed from the checkpoint of epoch "
                        + checkpoint)));

        // the case: the run FAILED, and its latest checkpoint has a flipped bit: resume falls back to epoch 2
        markFailed(runId);
        io.signstream.checkpoint.CheckpointRef third = new io.signstream.checkpoint.CheckpointRef(runId, 3);
        byte[] parameters;
        try (var in = minio.getObject(io.minio.GetObjectArgs.builder().bucket(bucket)
                .object(third.object("parameters.bin")).build())) {
            parameters = in.readAllBytes();
        }
        parameters[parameters.length - 7] ^= 0x01;
        minio.putObject(io.minio.PutObjectArgs.builder().bucket(bucket).object(third.object("parameters.bin"))
                .stream(new java.io.ByteArrayInputStream(parameters), parameters.length, -1).build());
        given().post("/runs/" + runId + "/resume").then().statusCode(202).body("status", equalTo("STARTING"))
                .body("lastCheckpointEpoch", equalTo(3));
        JsonPath again = awaitStatus(runId, "COMPLETED", Duration.ofMinutes(3));
        assertEquals(2, again.getInt("resumedFromEpoch"), again.prettify());
        assertEquals(3, again.getInt("skippedCheckpoints[0].epoch"));
        assertEquals("parameters.bin", again.getString("skippedCheckpoints[0].file"));
        assertTrue(again.getString("skippedCheckpoints[0].detail").contains("SHA-256"), again.prettify());
        assertTrue(again.getString("message").contains("completed"), again.getString("message"));
        assertEquals(3, again.getList("epochLosses").size());
        assertEquals(1, store.quarantined(runId).size(), "the damaged checkpoint was kept");
        assertEquals(3, store.newestIntact(runId, "test").orElseThrow().epoch());
    }

    @Test
    @Order(4)
    void diagnosticsIncludeAnOverfitCheckThatReachesZeroWer() {
        JsonPath report = given().contentType(ContentType.JSON)
                .body("{\"samples\":4,\"model\":\"small\",\"overfitSamples\":2,\"overfitMaxSteps\":200,"
                        + "\"overfitLearningRate\":0.003}")
                .post("/diagnostics").then().statusCode(200).extract().jsonPath();
        assertEquals(4, report.getInt("samples"));
        assertTrue(report.getBoolean("model.forward.finite"));
        assertTrue(report.getString("normalization.verdict").contains("exactly once"),
                report.getString("normalization.verdict"));
        assertTrue(report.getDouble("normalization.maxAbsChannelMean") < 1e-3);
        assertEquals(4, report.getList("model.modalities").size());
        assertTrue(report.getDouble("model.gradients.gradNorm") > 0);
        assertTrue(report.getList("model.batchSizes.points").size() >= 2);
        assertTrue(report.getBoolean("overfit.reachedZero"), report.prettify());
        assertEquals(0.0, report.getDouble("overfit.finalWer"));
    }
}
