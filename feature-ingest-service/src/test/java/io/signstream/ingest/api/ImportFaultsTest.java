package io.signstream.ingest.api;

import static io.restassured.RestAssured.given;
import static io.signstream.ingest.support.ImportJobs.awaitFinished;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.signstream.ingest.support.TestSamples;
import io.signstream.ingest.support.TopicContents;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.signstream.localstack.TopicProbe;

/**
 * Files that once ended or stalled a whole import (issue 16): a {@code .npy} whose header has a non-numeric shape
 * aborted the import after 3 samples ("published 0", the last 8 never tried); a 700 MB file left it RUNNING
 * forever. Each is now one refused sample, with its corpus line and reason, and the import goes on.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class ImportFaultsTest {

    private static final String RAW = "features.raw";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "signstream.ingest.import.root")
    Path importRoot;

    Path dataset;

    @BeforeEach
    void setUp() throws IOException {
        TestTokens.restAssuredAsEveryRole();
        dataset = TestSamples.newDataset(importRoot);
    }

    @Test
    void aBadHeaderAndAnOversizedFileAreRefusedSamplesAndEveryOtherSampleIsPublishedAndCounted() throws Exception {
        String p = TestSamples.uniqueId("faults");
        List<String> good = new ArrayList<>();
        StringBuilder corpus = new StringBuilder("id|folder|signer|annotation\n");
        // Lines 2-4: good; 5: non-numeric shape; 6: 700 MB; 7-14: good.
        for (int i = 0; i < 3; i++) {
            good.add(entry(corpus, p + "-before" + i, TestSamples.npy(2)));
        }
        entry(corpus, p + "-badheader", TestSamples.npyWithShapeHeader("'T', 6516", 2 * 6516 * 4));
        corpus.append(p).append("-huge|f|S1|A\n");
        Path huge = Files.createDirectories(dataset.resolve("train")).resolve(p + "-huge.npy");
        Files.write(huge, TestSamples.npy(1));
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(700L * 1000 * 1000); // sparse: 700 MB to the file system, nothing on disk
        }
        for (int i = 0; i < 8; i++) {
            good.add(entry(corpus, p + "-after" + i, TestSamples.npy(1)));
        }
        Files.writeString(dataset.resolve("train.corpus.csv"), corpus, StandardCharsets.UTF_8);

        String location = given().contentType("application/json").body(Map.of("directory", dataset.toString()))
                .when().post("/imports").then().statusCode(202).extract().header("Location");
        JsonPath job = awaitFinished(location);

        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertNull(job.get("failure"));
        assertEquals(13, job.getInt("total"));
        assertEquals(13, job.getInt("processed"));
        assertEquals(11, job.getInt("published"));
        assertEquals(2, job.getInt("refused"));
        assertEquals(Map.of("total", 13, "published", 11, "refused", 2), job.getMap("perSplit.train"));
        assertEquals(good.stream().sorted().toList(),
                job.getList("acceptedSamples.sampleId", String.class).stream().sorted().toList());

        List<Map<String, Object>> refused = job.getList("refusedSamples");
        assertEquals(2, refused.size(), job.prettify());
        Map<String, Object> badHeader = refused.stream().filter(r -> r.get("line").equals(5)).findFirst().orElseThrow();
        assertEquals(p + "-badheader", badHeader.get("sampleId"));
        assertEquals("UNSUPPORTED_FORMAT", badHeader.get("reason"));
        assertTrue(((String) badHeader.get("detail")).contains("'T'"), badHeader.toString());
        Map<String, Object> tooLarge = refused.stream().filter(r -> r.get("line").equals(6)).findFirst().orElseThrow();
        assertEquals(p + "-huge", tooLarge.get("sampleId"));
        assertEquals("TOO_LARGE", tooLarge.get("reason"));
        assertTrue(((String) tooLarge.get("detail")).contains("700000000 bytes"), tooLarge.toString());

        List<String> onTopic = TopicContents.keys(new TopicProbe(bootstrapServers), RAW).stream()
                .filter(key -> key.startsWith(p)).sorted().toList();
        assertEquals(good.stream().sorted().toList(), onTopic, "exactly the published samples, each once");
    }

    private String entry(StringBuilder corpus, String id, byte[] file) throws IOException {
        corpus.append(id).append("|f|S1|A\n");
        Path path = Files.createDirectories(dataset.resolve("train")).resolve(id + ".npy");
        Files.write(path, file);
        return id;
    }
}
