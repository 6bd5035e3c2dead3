package io.signstream.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.signstream.ingest.domain.UploadBudget;
import io.signstream.ingest.support.Multipart;
import io.signstream.ingest.support.TestSamples;
import io.signstream.ingest.support.TopicContents;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.signstream.localstack.TopicProbe;
import io.signstream.rest.Roles;

/**
 * Uploads bounded (issue 16): a malformed shape is a 422 with a reason (it was a 500), and concurrent large uploads
 * are admitted within a byte budget, the rest answered 503 with Retry-After (12 x 15.6 MB once gave two
 * OutOfMemoryError 500s).
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class UploadLimitsTest {

    private static final Logger LOG = Logger.getLogger(UploadLimitsTest.class);
    private static final String RAW = "features.raw";
    private static final int CONCURRENT = 12;
    private static final int LONGEST = 600;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/samples")
    URI samplesUri;

    @Inject
    UploadBudget budget;

    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    @Test
    void aNonNumericShapeIs422WithTheReason() {
        given().multiPart("file", "bad.npy", TestSamples.npyWithShapeHeader("'T', 6516", 2 * 6516 * 4),
                "application/octet-stream").multiPart("split", "train").multiPart("glosses", "A")
                .multiPart("sampleId", TestSamples.uniqueId("shape"))
                .when().post("/samples").then().statusCode(422)
                .body("reason", equalTo("UNSUPPORTED_FORMAT"))
                .body("detail", containsString("shape"));
    }

    @Test
    void anUploadThatFindsTheBudgetFullIs503WithRetryAfterAndIsAcceptedOnceThereIsRoom() throws Exception {
        String refusedId = TestSamples.uniqueId("busy");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> busy;
        try (UploadBudget.Permit everything = budget.admit(budget.capacityBytes())) {
            busy = post(client, refusedId, TestSamples.npy(2));
        }
        assertEquals(503, busy.statusCode(), busy.body());
        assertEquals("5", busy.headers().firstValue("Retry-After").orElse(""));
        JsonNode error = new ObjectMapper().readTree(busy.body());
        assertEquals("UPLOADS_BUSY", error.path("reason").asText());
        assertTrue(error.path("detail").asText().contains("was not read"), error.toString());

        String acceptedId = TestSamples.uniqueId("room");
        HttpResponse<String> accepted = post(client, acceptedId, TestSamples.npy(2));
        assertEquals(201, accepted.statusCode(), accepted.body());
        List<String> keys = TopicContents.keys(new TopicProbe(bootstrapServers), RAW);
        assertTrue(keys.contains(acceptedId));
        assertTrue(!keys.contains(refusedId), "a refused upload is not published");
    }

    @Test
    void twelveConcurrentLongestUploadsAreEach201Or503WithRetryAfterAndTheBudgetHolds() throws Exception {
        byte[] longest = TestSamples.npy(LONGEST);
        String prefix = TestSamples.uniqueId("concurrent");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < CONCURRENT; i++) {
                String id = prefix + "-" + i;
                Callable<HttpResponse<String>> upload = () -> post(client, id, longest);
                answers.add(callers.submit(upload));
            }
            Map<Integer, Integer> byStatus = new TreeMap<>();
            List<String> published = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                HttpResponse<String> answer = answers.get(i).get();
                byStatus.merge(answer.statusCode(), 1, Integer::sum);
                if (answer.statusCode() == 201) {
                    published.add(prefix + "-" + i);
                } else {
                    assertEquals(503, answer.statusCode(), answer.body());
                    assertTrue(answer.headers().firstValue("Retry-After").isPresent(), "503 says when to retry");
                    assertEquals("UPLOADS_BUSY", new ObjectMapper().readTree(answer.body()).path("reason").asText());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.infof("%d concurrent uploads of %d bytes: %s in %.1f s; most file bytes in flight %d of %d",
                    CONCURRENT, longest.length, byStatus, seconds, budget.highWaterBytes(), budget.capacityBytes());
            assertTrue(byStatus.getOrDefault(201, 0) >= 1, "at least one was admitted: " + byStatus);
            assertTrue(budget.highWaterBytes() >= longest.length, "uploads went through the budget");
            assertTrue(budget.highWaterBytes() <= budget.capacityBytes(),
                    "never more file bytes in flight than the budget: " + budget.highWaterBytes());
            List<String> onTopic = TopicContents.keys(new TopicProbe(bootstrapServers), RAW).stream()
                    .filter(key -> key.startsWith(prefix)).sorted().toList();
            assertEquals(published.stream().sorted().toList(), onTopic, "exactly the 201 answers were published");
        } finally {
            callers.shutdownNow();
        }
    }

    private HttpResponse<String> post(HttpClient client, String sampleId, byte[] npy) throws Exception {
        Multipart form = new Multipart().field("sampleId", sampleId).field("split", "train").field("glosses", "A")
                .file("file", sampleId + ".npy", npy);
        return client.send(HttpRequest.newBuilder(samplesUri).header("Content-Type", form.contentType())
                .header("Authorization", "Bearer " + TestTokens.withRoles(Roles.PUBLISHER))
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
