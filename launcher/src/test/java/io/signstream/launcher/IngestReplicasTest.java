package io.signstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.Topics;
import io.signstream.contract.npy.FeatureMatrix;
import io.signstream.contract.npy.Npy;
import io.signstream.localstack.TopicProbe;

/**
 * Three ingest instances (real processes of the packaged service, as deploy/ runs replicas) on one broker: an import
 * POSTed to one is answered by another while it runs; an instance stopped with SIGTERM during an import ends it
 * INTERRUPTED with exact counts (exactly its published samples are on features.raw); an instance killed with SIGKILL
 * leaves its import to be answered INTERRUPTED by the survivor once the lease has passed, and written so.
 */
class IngestReplicasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Enough one-frame samples that an import still runs when its instance is stopped. */
    private static final int SAMPLES = 3000;

    @Test
    void importJobsAreAnsweredByEveryReplicaAndEndInterruptedWhenTheirInstanceStops() throws Exception {
        LauncherSettings settings = StackFixture.isolatedSettings(Map.of(
                "SIGNSTREAM_INGEST_INSTANCE_HEARTBEAT_INTERVAL", "1s", "SIGNSTREAM_INGEST_INSTANCE_LEASE", "8s"));
        Stack stack = new Stack(settings, new Progress(System.out));
        StackState state = stack.up(EnumSet.of(ServiceSpec.INGEST), Map.of(ServiceSpec.INGEST, 3));
        try {
            ServiceClient a = state.client(ServiceSpec.INGEST, 1);
            ServiceClient b = state.client(ServiceSpec.INGEST, 2);
            ServiceClient c = state.client(ServiceSpec.INGEST, 3);
            TopicProbe probe = new TopicProbe(state.bootstrapServers());

            // SIGTERM: A ends its running import INTERRUPTED, counts exact, and C answers it so
            String prefixA = "term" + System.nanoTime();
            String jobA = a.post("/imports", Map.of("directory", dataset(settings.importRoot(), prefixA).toString()))
                    .path("id").asText();
            JsonNode runningA = await(() -> c.get("/imports/" + jobA), j -> finished(j)
                    || "RUNNING".equals(j.path("status").asText()) && j.path("processed").asInt() > 0,
                    "A's import running, seen from C");
            assertEquals("RUNNING", runningA.path("status").asText(), "still running when its instance stops: "
                    + summary(runningA));
            String ownerA = runningA.path("owner").asText();
            assertEquals(ownerA, a.get("/imports/" + jobA).path("owner").asText());
            ProcessHandle processA = ProcessHandle.of(state.pid(ServiceSpec.INGEST, 1)).orElseThrow();
            processA.destroy();
            processA.onExit().get(60, TimeUnit.SECONDS);
            JsonNode endedA = await(() -> c.get("/imports/" + jobA), j -> finished(j), "A's import to end");
            assertEquals("INTERRUPTED", endedA.path("status").asText(), endedA.toString());
            assertTrue(endedA.path("processed").asInt() < SAMPLES, "it did not run to its end: " + summary(endedA));
            assertTrue(endedA.path("failure").asText().contains(ownerA + " stopped"), endedA.path("failure").asText());
            int publishedA = endedA.path("published").asInt();
            assertEquals(publishedA, endedA.path("acceptedSamples").size(), summary(endedA));
            assertEquals(endedA.path("processed").asInt(), publishedA + endedA.path("refused").asInt());
            assertEquals(publishedA, rawKeys(probe, prefixA).size(), "exactly the published samples are on the topic");

            // SIGKILL: B says nothing more; C answers RUNNING until the lease shows B is gone, then INTERRUPTED
            String prefixB = "kill" + System.nanoTime();
            String jobB = b.post("/imports", Map.of("directory", dataset(settings.importRoot(), prefixB).toString()))
                    .path("id").asText();
            JsonNode runningB = await(() -> c.get("/imports/" + jobB), j -> finished(j)
                    || "RUNNING".equals(j.path("status").asText()) && j.path("processed").asInt() > 0,
                    "B's import running, seen from C");
            assertEquals("RUNNING", runningB.path("status").asText(), "still running when its instance stops: "
                    + summary(runningB));
            String ownerB = runningB.path("owner").asText();
            assertNotEquals(ownerA, ownerB);
            ProcessHandle processB = ProcessHandle.of(state.pid(ServiceSpec.INGEST, 2)).orElseThrow();
            processB.destroyForcibly();
            processB.onExit().get(60, TimeUnit.SECONDS);
            long killed = System.nanoTime();
            JsonNode endedB = await(() -> c.get("/imports/" + jobB), j -> finished(j), "B's import to be interrupted");
            assertEquals("INTERRUPTED", endedB.path("status").asText(), endedB.toString());
            assertTrue(System.nanoTime() - killed > TimeUnit.SECONDS.toNanos(3), "not before the lease");
            assertTrue(endedB.path("failure").asText().contains(ownerB), endedB.path("failure").asText());
            int publishedB = endedB.path("published").asInt();
            assertEquals(publishedB, endedB.path("acceptedSamples").size(), summary(endedB));
            Set<String> onTopicB = rawKeys(probe, prefixB);
            assertTrue(publishedB > 0 && publishedB <= onTopicB.size(), publishedB + " listed, " + onTopicB.size()
                    + " on the topic: the counts B last wrote");
            for (JsonNode accepted : endedB.path("acceptedSamples")) {
                assertTrue(onTopicB.contains(accepted.path("sampleId").asText()), accepted.toString());
            }
            // ... and C wrote it so on ingest.imports, for every reader
            JsonNode stored = awaitStored(probe, jobB, "INTERRUPTED");
            assertEquals(publishedB, stored.path("published").asInt());

            Set<String> listed = new HashSet<>();
            c.get("/imports").forEach(job -> listed.add(job.path("id").asText()));
            assertTrue(listed.containsAll(List.of(jobA, jobB)), listed.toString());
        } finally {
            stack.down();
            try (var folders = Files.newDirectoryStream(settings.importRoot(), "replicas-*")) {
                for (Path folder : folders) { // 2 x 3000 files, 157 MB
                    try (var files = Files.walk(folder)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                }
            }
        }
        assertTrue(StackFixture.allStopped(state));
    }

    private static Path dataset(Path root, String prefix) throws Exception {
        Path folder = root.resolve("replicas-" + prefix);
        Files.createDirectories(folder.resolve("train"));
        StringBuilder corpus = new StringBuilder("id|folder|signer|annotation\n");
        byte[] npy = Npy.toBytes(new FeatureMatrix(1, FeatureLayout.DIMS, new float[FeatureLayout.DIMS]));
        for (int i = 0; i < SAMPLES; i++) {
            String id = prefix + "-" + i;
            corpus.append(id).append("|f|S1|A B\n");
            Files.write(folder.resolve("train").resolve(id + ".npy"), npy);
        }
        Files.writeString(folder.resolve("train.corpus.csv"), corpus, StandardCharsets.UTF_8);
        return folder;
    }

    /** The keys starting with {@code prefix} on features.raw, read to its end. */
    private static Set<String> rawKeys(TopicProbe probe, String prefix) {
        Set<String> keys = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = probe.consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.FEATURES_RAW, Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(Topics.FEATURES_RAW, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertTrue(System.nanoTime() < deadline, "features.raw not read to its end within 120 s");
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && record.key().startsWith(prefix + "-")) {
                        keys.add(record.key());
                    }
                }
            }
        }
        return keys;
    }

    private static JsonNode awaitStored(TopicProbe probe, String job, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : probe.readUntil(Topics.INGEST_IMPORTS, r -> false,
                    Duration.ofSeconds(3))) {
                if (("import/" + job).equals(record.key()) && record.value() != null) {
                    last = JSON.readTree(record.value());
                }
            }
            if (last != null && status.equals(last.path("status").asText())) {
                return last;
            }
        }
        throw new AssertionError("ingest.imports holds no " + status + " record of " + job + "; last " + last);
    }

    private static boolean finished(JsonNode job) {
        return List.of("COMPLETED", "FAILED", "INTERRUPTED").contains(job.path("status").asText());
    }

    private static String summary(JsonNode job) {
        return job.path("status").asText() + " " + job.path("processed") + "/" + job.path("total") + " processed, "
                + job.path("published") + " published, " + job.path("refused") + " refused: " + job.path("failure");
    }

    private static JsonNode await(java.util.function.Supplier<JsonNode> read, Predicate<JsonNode> done, String what) {
        return StackFixture.await(read, done, Duration.ofMinutes(3), Duration.ofMillis(200), what);
    }
}
