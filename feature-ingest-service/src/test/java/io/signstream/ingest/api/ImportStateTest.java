package io.signstream.ingest.api;

import static io.restassured.RestAssured.given;
import static io.signstream.ingest.support.ImportJobs.awaitFinished;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.signstream.contract.Topics;
import io.signstream.ingest.domain.ImportJob;
import io.signstream.ingest.domain.IngestInstance;
import io.signstream.ingest.messaging.ImportStatePublisher;
import io.signstream.ingest.support.TestSamples;
import io.signstream.ingest.support.TopicContents;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.signstream.localstack.TopicProbe;

/**
 * Import jobs on ingest.imports: what another replica (or this service after a restart, see ImportStateRestartTest)
 * reads is the job as this instance answers it; a job whose instance died is answered INTERRUPTED with the counts it
 * last wrote, by every instance, and written so.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class ImportStateTest {

    /** Left by a "dead" instance; ImportStateRestartTest finds it again. */
    static final String DEAD_JOB = "import-of-a-dead-instance";
    static final String DEAD_INSTANCE = "ingest-dead0000";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "signstream.ingest.import.root")
    Path importRoot;
    @ConfigProperty(name = "signstream.ingest.instance.lease")
    Duration lease;
    @Inject
    IngestInstance instance;

    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    @Test
    void theTopicHoldsTheJobAsThisInstanceAnswersIt() throws Exception {
        Path dataset = TestSamples.newDataset(importRoot);
        String p = TestSamples.uniqueId("state");
        Files.writeString(dataset.resolve("train.corpus.csv"), "id|folder|signer|annotation\n" + p + "-a|f|S1|A B\n"
                + p + "-b|f|S1|C\n" + p + "-missing|f|S1|D\n", StandardCharsets.UTF_8);
        Files.createDirectories(dataset.resolve("train"));
        Files.write(dataset.resolve("train/" + p + "-a.npy"), TestSamples.npy(2));
        Files.write(dataset.resolve("train/" + p + "-b.npy"), TestSamples.npy(1));
        String location = given().contentType("application/json").body(Map.of("directory", dataset.toString()))
                .when().post("/imports").then().statusCode(202).extract().header("Location");
        JsonPath answered = awaitFinished(location);
        String id = answered.getString("id");
        assertEquals("COMPLETED", answered.getString("status"));
        assertEquals(instance.id(), answered.getString("owner"));

        ImportJob.View stored = awaitStored(id, ImportJob.Status.COMPLETED);
        assertEquals(answered.getInt("published"), stored.published());
        assertEquals(2, stored.published());
        assertEquals(1, stored.refused());
        assertEquals(answered.getList("acceptedSamples.sampleId"),
                stored.acceptedSamples().stream().map(ImportJob.AcceptedEntry::sampleId).toList());
        assertEquals(List.of("MISSING_FILE"), stored.refusedSamples().stream().map(ImportJob.RefusedEntry::reason).toList());
    }

    @Test
    void aJobOfADeadInstanceIsInterruptedWithTheCountsItLastWrote() throws Exception {
        ImportJob.View running = new ImportJob.View(DEAD_JOB, "/data/phoenix", List.of("train"), ImportJob.Status.RUNNING,
                "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", null, 10, 4, 3, 1, 0.4, 2.0, 3L,
                Map.of("train", new ImportJob.SplitCounts(10, 3, 1)), null,
                List.of(new ImportJob.AcceptedEntry("s1", "train", 0, 1), new ImportJob.AcceptedEntry("s2", "train", 0, 2),
                        new ImportJob.AcceptedEntry("s3", "train", 1, 1)),
                List.of(new ImportJob.RefusedEntry("train", 5, "s4", "NON_FINITE", "a NaN")), DEAD_INSTANCE);
        new TopicProbe(bootstrapServers).send(Topics.INGEST_IMPORTS, ImportStatePublisher.IMPORT_KEY + DEAD_JOB,
                ImportStatePublisherAccess.json(running));

        // seen at once, and INTERRUPTED once the lease has shown that no heartbeat of its instance comes
        long deadline = System.nanoTime() + lease.multipliedBy(4).toNanos() + Duration.ofSeconds(20).toNanos();
        JsonPath job;
        do {
            Thread.sleep(250);
            job = given().when().get("/imports/" + DEAD_JOB).then().extract().jsonPath();
        } while (!"INTERRUPTED".equals(job.getString("status")) && System.nanoTime() < deadline);
        assertEquals("INTERRUPTED", job.getString("status"), job.prettify());
        assertEquals(10, job.getInt("total"));
        assertEquals(3, job.getInt("published"));
        assertEquals(1, job.getInt("refused"));
        assertEquals(List.of("s1", "s2", "s3"), job.getList("acceptedSamples.sampleId"));
        assertTrue(job.getString("failure").contains(DEAD_INSTANCE), job.getString("failure"));
        assertTrue(job.getString("failure").contains("6 were not processed"), job.getString("failure"));
        // and written so, for every reader of the topic
        ImportJob.View written = awaitStored(DEAD_JOB, ImportJob.Status.INTERRUPTED);
        assertEquals(3, written.published());
    }

    private ImportJob.View awaitStored(String id, ImportJob.Status status) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ImportJob.View last = null;
        while (System.nanoTime() < deadline) {
            List<ConsumerRecord<String, byte[]>> records = TopicContents.readToEnd(new TopicProbe(bootstrapServers),
                    Topics.INGEST_IMPORTS);
            for (ConsumerRecord<String, byte[]> record : records) {
                if ((ImportStatePublisher.IMPORT_KEY + id).equals(record.key()) && record.value() != null) {
                    last = ImportStatePublisher.readView(record.value());
                }
            }
            if (last != null && last.status() == status) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("ingest.imports holds no " + status + " record of " + id + "; last: " + last);
    }

    /** The publisher's own JSON, so the test writes exactly what an instance would. */
    static final class ImportStatePublisherAccess {
        static byte[] json(ImportJob.View view) throws IOException {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(view);
        }
    }
}
