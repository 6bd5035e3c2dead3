package io.signstream.trainer.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.contract.Topics;
import io.signstream.localstack.OutageObjectStoreTestResource;
import io.signstream.localstack.TestTokens;
import io.signstream.trainer.NormalizedFixture;
import io.signstream.trainer.storage.ObjectStoreClientsBean;

/**
 * S3 outages on a real S3Proxy that the test stops and starts again on the same port (objects on disk): a run
 * survives one shorter than the retry deadline, fails on a longer one and records FAILED once the store is back;
 * meanwhile status reads answer stale, POST /runs answers 503, readiness is DOWN.
 */
@QuarkusTest
@WithTestResource(OutageObjectStoreTestResource.class)
@TestProfile(ObjectStoreOutageTest.ShortDeadlines.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObjectStoreOutageTest {

    /** A deadline short enough to outlast in a test, long enough to cover an S3Proxy restart (a JVM start). */
    public static class ShortDeadlines implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("signstream.object-store.retry.deadline", "25s",
                    "signstream.object-store.retry.request-deadline", "1s",
                    "signstream.object-store.retry.max-backoff", "1s",
                    "signstream.object-store.retry.connect-timeout", "1s",
                    "signstream.object-store.retry.pending-interval", "1s",
                    "signstream.object-store.retry.retry-after", "7s",
                    "signstream.object-store.health.timeout", "1s",
                    "signstream.object-store.health.cache", "300ms");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "signstream.object-store.bucket")
    String bucket;
    @Inject
    MinioClient minio;
    @Inject
    ObjectStoreClientsBean clients;

    private static String survivorId;

    @BeforeEach
    void setUp() {
        TestTokens.restAssuredAsEveryRole();
        NormalizedFixture.publish(bootstrapServers, Topics.FEATURES_NORMALIZED);
    }

    @AfterEach
    void storeIsBack() {
        if (!isListening()) {
            OutageObjectStoreTestResource.startObjectStore();
        }
    }

    private static boolean isListening() {
        try (var socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1",
                    java.net.URI.create(OutageObjectStoreTestResource.endpoint()).getPort()), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String body(String runId, int epochs) {
        return "{\"runId\":\"" + runId + "\",\"epochs\":" + epochs + ",\"batchSize\":4,\"learningRate\":0.003,"
                + "\"warmupSteps\":2,\"seed\":11,\"model\":\"small\"}";
    }

    private static JsonPath run(String runId) {
        return given().get("/runs/" + runId).then().statusCode(200).extract().jsonPath();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private static boolean hasCheckpoint(String runId, int epoch) {
        JsonPath run = run(runId);
        return run.get("lastCheckpointEpoch") != null && run.getInt("lastCheckpointEpoch") >= epoch;
    }

    private JsonNode storedRun(String runId) throws Exception {
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(bucket)
                .object("runs/" + runId + "/run.json").build())) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    @Order(1)
    void aRunSurvivesAnOutageShorterThanTheDeadline() throws Exception {
        String runId = "outage-short-" + UUID.randomUUID().toString().substring(0, 8);
        survivorId = runId;
        given().contentType(ContentType.JSON).body(body(runId, 4)).post("/runs").then().statusCode(201);
        await("checkpoint 1", Duration.ofMinutes(3), () -> hasCheckpoint(runId, 1));
        long retriesBefore = clients.runRetry().retries();
        long exhaustedBefore = clients.runRetry().exhausted();

        OutageObjectStoreTestResource.stopObjectStore();
        Instant down = Instant.now();
        // the run reaches its next epoch end and waits for the store, retrying its checkpoint write
        await("the run retrying a write", Duration.ofMinutes(3), () -> clients.runRetry().retries() > retriesBefore);
        Thread.sleep(1500);
        assertEquals("RUNNING", run(runId).getString("status"), "the run waits, it does not fail");
        OutageObjectStoreTestResource.startObjectStore();
        Duration outage = Duration.between(down, Instant.now());

        await("the run to complete", Duration.ofMinutes(4), () -> {
            String status = run(runId).getString("status");
            assertTrue(!"FAILED".equals(status), run(runId).prettify());
            return "COMPLETED".equals(status);
        });
        assertEquals(exhaustedBefore, clients.runRetry().exhausted(), "no request gave up (outage " + outage + ")");
        assertTrue(clients.runRetry().retries() > retriesBefore);
        JsonNode stored = storedRun(runId);
        assertEquals("COMPLETED", stored.get("status").asText());
        assertEquals(4, stored.get("lastCheckpointEpoch").asInt());
        assertEquals(4, stored.get("epochLosses").size());
        CheckpointStore checkpoints = new CheckpointStore(minio, bucket);
        for (int epoch = 1; epoch <= 4; epoch++) {
            CheckpointRef ref = new CheckpointRef(runId, epoch);
            assertTrue(checkpoints.inspect(ref, "outage-test").isEmpty(), "checkpoint " + epoch + " verifies");
        }
        assertEquals(List.of(1, 2, 3, 4), checkpoints.list(runId).stream().map(m -> m.epoch()).toList());
        // read once from the bucket: what the trainer answers from during the next outage
        given().get("/runs/" + runId).then().statusCode(200).header("Warning", org.hamcrest.Matchers.nullValue())
                .body("status", equalTo("COMPLETED"));
        given().get("/runs").then().statusCode(200).body("runId", hasItem(runId));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    @Order(2)
    void aLongerOutageFailsTheRunWhichSaysSoOnceTheStoreIsBack() throws Exception {
        assertNotNull(survivorId, "runs after the first test");
        String runId = "outage-long-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(body(runId, 50)).post("/runs").then().statusCode(201);
        await("checkpoint 1", Duration.ofMinutes(3), () -> hasCheckpoint(runId, 1));

        OutageObjectStoreTestResource.stopObjectStore();
        try {
            // readiness says so within its cache time
            await("readiness DOWN", Duration.ofSeconds(20),
                    () -> given().get("/q/health/ready").statusCode() == 503);
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'object-store' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'object-store' }.data.error", notNullValue());

            // status reads answer from the last known state, marked stale
            given().get("/runs/" + survivorId).then().statusCode(200).body("status", equalTo("COMPLETED"))
                    .body("stale", equalTo(true)).body("staleSince", notNullValue())
                    .header("Warning", containsString("110"));
            Response list = given().get("/runs");
            list.then().statusCode(200).header("Warning", containsString("110"));
            List<Map<String, Object>> runs = list.jsonPath().getList("$");
            assertTrue(runs.stream().anyMatch(r -> survivorId.equals(r.get("runId")) && Boolean.TRUE.equals(r.get("stale"))),
                    list.asString());
            // a run this trainer never read: nothing to answer from, 503 rather than 500
            given().get("/runs/never-seen-run").then().statusCode(503)
                    .body("reason", equalTo("OBJECT_STORE_UNAVAILABLE"));
            // a new run cannot be recorded: 503 with the JSON reason and Retry-After
            given().contentType(ContentType.JSON).body(body("outage-refused-" + UUID.randomUUID().toString()
                    .substring(0, 8), 1)).post("/runs").then().statusCode(409); // one run at a time, checked first

            // the run waits for the store up to the deadline, then fails
            await("the run to fail", Duration.ofMinutes(4), () -> "FAILED".equals(run(runId).getString("status")));
            JsonPath failed = run(runId);
            assertEquals("OBJECT_STORE_UNAVAILABLE", failed.getString("reason"), failed.prettify());
            assertTrue(failed.getString("message").contains("object store unreachable"), failed.prettify());
            assertTrue(clients.runRetry().exhausted() > 0);

            String refused = body("outage-refused-" + UUID.randomUUID().toString().substring(0, 8), 1);
            // the run's thread ends once writing FAILED to run.json has also given up (its own deadline)
            await("POST /runs answering 503", Duration.ofMinutes(1), () -> given().contentType(ContentType.JSON)
                    .body(refused).post("/runs").statusCode() == 503);
            given().contentType(ContentType.JSON).body(refused).post("/runs").then().statusCode(503)
                    .contentType(ContentType.JSON).header("Retry-After", equalTo("7"))
                    .body("reason", equalTo("OBJECT_STORE_UNAVAILABLE"))
                    .body("detail", containsString("object store"));
            Thread.sleep(1500); // a pending-status write attempt or two while the store is still away
        } finally {
            OutageObjectStoreTestResource.startObjectStore();
        }

        await("readiness UP", Duration.ofSeconds(30), () -> given().get("/q/health/ready").statusCode() == 200);
        await("run.json FAILED", Duration.ofSeconds(30), () -> {
            try {
                return "FAILED".equals(storedRun(runId).get("status").asText());
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode stored = storedRun(runId);
        assertEquals("OBJECT_STORE_UNAVAILABLE", stored.get("reason").asText());
        assertTrue(stored.get("lastCheckpointEpoch").asInt() >= 1);
        given().get("/runs/" + survivorId).then().statusCode(200).header("Warning", org.hamcrest.Matchers.nullValue())
                .body("stale", org.hamcrest.Matchers.nullValue());
        // as for any failed run: the id is taken (409), and it can be resumed
        given().contentType(ContentType.JSON).body(body(runId, 50)).post("/runs").then().statusCode(409)
                .body("reason", equalTo("RUN_CONFLICT")).body("detail", containsString("exists already"));
        given().post("/runs/" + runId + "/resume").then().statusCode(202).body("status", equalTo("STARTING"));
    }
}
