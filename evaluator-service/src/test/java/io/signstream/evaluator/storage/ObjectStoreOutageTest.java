package io.signstream.evaluator.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.checkpoint.s3.ObjectStoreClients;
import io.signstream.checkpoint.s3.ObjectStoreRetry;
import io.signstream.evaluator.TestData;
import io.signstream.localstack.OutageObjectStoreTestResource;
import io.signstream.localstack.TestTokens;

/**
 * The evaluator against an S3Proxy the test stops and starts again: the worker's reads wait out a short outage,
 * REST calls answer 503 with Retry-After, readiness goes DOWN and back UP, and a 403 is not retried.
 */
@QuarkusTest
@WithTestResource(OutageObjectStoreTestResource.class)
@TestProfile(ObjectStoreOutageTest.ShortDeadlines.class)
class ObjectStoreOutageTest {

    public static class ShortDeadlines implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("signstream.object-store.retry.deadline", "40s",
                    "signstream.object-store.retry.request-deadline", "1s",
                    "signstream.object-store.retry.max-backoff", "1s",
                    "signstream.object-store.retry.connect-timeout", "1s",
                    "signstream.object-store.retry.retry-after", "9s",
                    "signstream.object-store.health.timeout", "1s",
                    "signstream.object-store.health.cache", "300ms");
        }
    }

    @Inject
    MinioClient minio;
    @Inject
    ObjectStoreProducer.Background background;
    @ConfigProperty(name = "signstream.object-store.bucket")
    String bucket;

    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    private static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    @Test
    void waitsOutAShortOutageAndSaysSoMeanwhile() throws Exception {
        CheckpointRef ref = new CheckpointRef("outage-eval-run", 1);
        byte[] content = new byte[200_000];
        new java.util.Random(5).nextBytes(content);
        new CheckpointStore(minio, bucket).write(ref, Map.of("parameters.bin", content), TestData.NORMALIZATION,
                Map.of());
        given().get("/q/health/ready").then().statusCode(200);

        long retriesBefore = background.retry().retries();
        OutageObjectStoreTestResource.stopObjectStore();
        CompletableFuture<Map<String, byte[]>> read;
        try {
            // the worker's read waits for the store instead of failing
            read = CompletableFuture.supplyAsync(() -> background.checkpoints().readAll(ref));
            await("readiness DOWN", Duration.ofSeconds(20), () -> given().get("/q/health/ready").statusCode() == 503);
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'object-store' }.status", equalTo("DOWN"));
            io.restassured.response.Response refused = given().contentType(ContentType.JSON)
                    .body("{\"checkpoint\": {\"run\": \"outage-eval-run\", \"epoch\": 1}}").post("/evaluations");
            refused.then().statusCode(503).contentType(ContentType.JSON).header("Retry-After", equalTo("9"))
                    .body("reason", equalTo("OBJECT_STORE_UNAVAILABLE"))
                    .body("detail", notNullValue());
            await("the read retrying", Duration.ofSeconds(20), () -> background.retry().retries() > retriesBefore);
            assertTrue(!read.isDone(), "the read waits for the store");
        } finally {
            OutageObjectStoreTestResource.startObjectStore();
        }
        assertArrayEquals(content, read.get(60, TimeUnit.SECONDS).get("parameters.bin"), "verified after the outage");
        assertEquals(0, background.retry().exhausted());
        await("readiness UP", Duration.ofSeconds(30), () -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aRefusalIsNotRetried() {
        ObjectStoreRetry retry = new ObjectStoreRetry("wrong-key", new ObjectStoreRetry.Policy(Duration.ofSeconds(30),
                Duration.ofMillis(200), Duration.ofSeconds(1)));
        MinioClient wrongKey = ObjectStoreClients.client(OutageObjectStoreTestResource.endpoint(), "nobody",
                "not-the-secret", retry, Duration.ofSeconds(2), Duration.ofSeconds(5));
        long started = System.nanoTime();
        ErrorResponseException e = assertThrows(ErrorResponseException.class,
                () -> wrongKey.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
        assertEquals(403, e.response().code(), e.toString());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "answered at once, no 30 s of retries");
        assertEquals(0, retry.retries());
        assertTrue(!io.signstream.checkpoint.s3.ObjectStoreFailures.isTransient(e));
    }
}
