package io.signstream.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.signstream.localstack.LocalStack;

/** Runs against the real S3Proxy of the local stack through the unmodified MinIO client. */
class CheckpointStoreTest {

    private static final String NORMALIZATION = "zscore-per-channel@v1{epsilon=1.0E-5}";

    private final MinioClient client = LocalStack.shared().objectStore().client();
    private final CheckpointStore store = new CheckpointStore(client, LocalStack.DEFAULT_BUCKET);

    private static String newRunId() {
        return "run-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, byte[]> files(int epoch) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(CheckpointFiles.PARAMETERS, ("weights of epoch " + epoch).getBytes(StandardCharsets.UTF_8));
        files.put(CheckpointFiles.OPTIMIZER, new byte[] {1, 2, 3, (byte) epoch});
        files.put(CheckpointFiles.VOCABULARY, "{\"blank\":0,\"glosses\":[\"A\",\"B\"]}".getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private void put(String object, byte[] content) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(LocalStack.DEFAULT_BUCKET).object(object)
                .stream(new ByteArrayInputStream(content), content.length, -1).build());
    }

    @Test
    void layoutIsOnePrefixPerRunAndEpochWithFourDigits() {
        assertEquals("runs/r1/epoch-0003/", new CheckpointRef("r1", 3).prefix());
        assertEquals("runs/r1/epoch-0012/manifest.json", new CheckpointRef("r1", 12).object(CheckpointFiles.MANIFEST));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointRef("../etc", 1));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointRef("r1", -1));
    }

    @Test
    void writesListsAndReadsBackCheckpointsInEpochOrder() {
        String runId = newRunId();
        for (int epoch : new int[] {2, 1, 10}) {
            store.write(new CheckpointRef(runId, epoch), files(epoch), NORMALIZATION, Map.of("loss", 1.0 / epoch));
        }

        List<CheckpointManifest> listed = store.list(runId);
        assertEquals(List.of(1, 2, 10), listed.stream().map(CheckpointManifest::epoch).toList());
        CheckpointManifest latest = store.latest(runId).orElseThrow();
        assertEquals(10, latest.epoch());
        assertEquals(NORMALIZATION, latest.normalization());
        assertEquals(0.1, latest.metrics().get("loss"), 1e-12);
        CheckpointManifest.FileEntry params = latest.file(CheckpointFiles.PARAMETERS).orElseThrow();
        byte[] expected = "weights of epoch 10".getBytes(StandardCharsets.UTF_8);
        assertEquals(expected.length, params.size());
        // SHA-256 computed independently: printf 'weights of epoch 10' | sha256sum
        assertEquals("5f39451150fd02e8684a22021919e13190fc4915c82758514f8a10dc674f34b4", params.sha256());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", CheckpointStore.sha256(new byte[0]));

        assertArrayEquals(expected, store.read(new CheckpointRef(runId, 10), CheckpointFiles.PARAMETERS));
        assertArrayEquals(new byte[] {1, 2, 3, 2}, store.read(new CheckpointRef(runId, 2), CheckpointFiles.OPTIMIZER));
        assertEquals(3, store.readAll(new CheckpointRef(runId, 1)).size());
        assertTrue(store.runs().contains(runId));
    }

    @Test
    void halfWrittenCheckpointWithoutManifestIsInvisible() throws Exception {
        String runId = newRunId();
        store.write(new CheckpointRef(runId, 1), files(1), NORMALIZATION, Map.of("loss", 2.0));
        CheckpointRef crashed = new CheckpointRef(runId, 2);
        // a writer that died after the content files and before the manifest
        put(crashed.object(CheckpointFiles.PARAMETERS), "partial".getBytes(StandardCharsets.UTF_8));
        put(crashed.object(CheckpointFiles.OPTIMIZER), new byte[] {9});

        assertEquals(1, store.latest(runId).orElseThrow().epoch());
        assertEquals(List.of(1), store.list(runId).stream().map(CheckpointManifest::epoch).toList());
        assertTrue(store.manifest(crashed).isEmpty());
        CheckpointException error = assertThrows(CheckpointException.class,
                () -> store.read(crashed, CheckpointFiles.PARAMETERS));
        assertTrue(error.getMessage().contains("no complete checkpoint"), error.getMessage());

        String onlyHalf = newRunId();
        put(new CheckpointRef(onlyHalf, 1).object(CheckpointFiles.PARAMETERS), new byte[] {1});
        assertTrue(store.latest(onlyHalf).isEmpty());
        assertFalse(store.runs().contains(onlyHalf));
    }

    @Test
    void corruptedFileFailsTheSha256CheckWithAClearError() throws Exception {
        String runId = newRunId();
        CheckpointRef ref = new CheckpointRef(runId, 1);
        store.write(ref, files(1), NORMALIZATION, Map.of());
        // same length, one byte flipped: only the hash can tell
        byte[] tampered = "weights of epoch 1".getBytes(StandardCharsets.UTF_8);
        tampered[0] = 'W';
        put(ref.object(CheckpointFiles.PARAMETERS), tampered);

        CheckpointIntegrityException error = assertThrows(CheckpointIntegrityException.class,
                () -> store.read(ref, CheckpointFiles.PARAMETERS));
        assertTrue(error.getMessage().contains("SHA-256"), error.getMessage());
        assertTrue(error.getMessage().contains(ref.object(CheckpointFiles.PARAMETERS)), error.getMessage());
        // the untouched files of the same checkpoint still read
        assertArrayEquals(new byte[] {1, 2, 3, 1}, store.read(ref, CheckpointFiles.OPTIMIZER));

        put(ref.object(CheckpointFiles.OPTIMIZER), new byte[] {1, 2, 3});
        CheckpointIntegrityException truncated = assertThrows(CheckpointIntegrityException.class,
                () -> store.read(ref, CheckpointFiles.OPTIMIZER));
        assertTrue(truncated.getMessage().contains("3 bytes but the manifest says 4"), truncated.getMessage());

        client.removeObject(RemoveObjectArgs.builder().bucket(LocalStack.DEFAULT_BUCKET)
                .object(ref.object(CheckpointFiles.VOCABULARY)).build());
        CheckpointIntegrityException missing = assertThrows(CheckpointIntegrityException.class,
                () -> store.read(ref, CheckpointFiles.VOCABULARY));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
    }

    private byte[] get(String object) throws Exception {
        try (var in = client.getObject(io.minio.GetObjectArgs.builder().bucket(LocalStack.DEFAULT_BUCKET)
                .object(object).build())) {
            return in.readAllBytes();
        }
    }

    /** Epochs a run's record names are read by their keys too; one never written is absent, not damage. */
    @Test
    void epochsNamedByTheRunRecordAreLookedUpByKeyAndAbsentOnesAreNotDamage() throws Exception {
        String runId = newRunId();
        for (int epoch = 1; epoch <= 2; epoch++) {
            store.write(new CheckpointRef(runId, epoch), files(epoch), NORMALIZATION, Map.of("loss", 1.0 / epoch));
        }
        IntactCheckpoint intact = store.newestIntact(runId, "test", 4).orElseThrow();
        assertEquals(2, intact.epoch());
        assertTrue(intact.skipped().isEmpty(), intact.skipped().toString());
        assertTrue(store.damage(new CheckpointRef(runId, 4)).isEmpty());
        assertTrue(store.newestIntact(newRunId(), "test", 3).isEmpty(), "a run without checkpoints has none");
    }

    @Test
    void newestIntactSkipsADamagedCheckpointMarksItAndKeepsItUntilItsEpochIsWrittenAgain() throws Exception {
        String runId = newRunId();
        for (int epoch = 1; epoch <= 3; epoch++) {
            store.write(new CheckpointRef(runId, epoch), files(epoch), NORMALIZATION, Map.of("loss", 1.0 / epoch));
        }
        CheckpointRef damaged = new CheckpointRef(runId, 3);
        byte[] tampered = "weights of epoch 3".getBytes(StandardCharsets.UTF_8);
        tampered[3] ^= 0x01;
        put(damaged.object(CheckpointFiles.PARAMETERS), tampered);

        IntactCheckpoint intact = store.newestIntact(runId, "test").orElseThrow();
        assertEquals(2, intact.epoch());
        assertArrayEquals("weights of epoch 2".getBytes(StandardCharsets.UTF_8), intact.file(CheckpointFiles.PARAMETERS));
        assertEquals(1, intact.skipped().size());
        CheckpointDamage skipped = intact.skipped().get(0);
        assertEquals(3, skipped.epoch());
        assertEquals(CheckpointFiles.PARAMETERS, skipped.file());
        assertTrue(skipped.detail().contains("SHA-256"), skipped.detail());
        assertEquals("test", skipped.detectedBy());

        // marked next to it, its files untouched, still listed (the manifest is there): trusted by nobody
        CheckpointDamage marker = store.damage(damaged).orElseThrow();
        assertEquals(skipped, marker);
        assertArrayEquals(tampered, get(damaged.object(CheckpointFiles.PARAMETERS)));
        assertEquals(List.of(1, 2, 3), store.list(runId).stream().map(CheckpointManifest::epoch).toList());
        assertEquals(Optional.of(marker), store.inspect(damaged, "again"));
        assertEquals(Optional.empty(), store.inspect(new CheckpointRef(runId, 2), "again"));
        // a second reader takes the marker's word and does not mark it again
        assertEquals(List.of(marker), store.newestIntact(runId, "other").orElseThrow().skipped());

        // the epoch written again: the damaged objects are copied to the quarantine first, the marker moves there
        store.write(damaged, files(3), NORMALIZATION, Map.of("loss", 0.3));
        assertTrue(store.damage(damaged).isEmpty());
        assertEquals(3, store.newestIntact(runId, "test").orElseThrow().epoch());
        assertTrue(store.newestIntact(runId, "test").orElseThrow().skipped().isEmpty());
        List<CheckpointDamage> quarantined = store.quarantined(runId);
        assertEquals(1, quarantined.size());
        String prefix = "runs/" + runId + "/quarantine/epoch-0003-" + marker.detectedAtEpochMs() + "/";
        assertEquals(prefix, quarantined.get(0).quarantine());
        assertArrayEquals(tampered, get(prefix + CheckpointFiles.PARAMETERS));
        assertEquals(CheckpointManifest.fromJson(get(prefix + CheckpointFiles.MANIFEST)).file(CheckpointFiles.PARAMETERS)
                .orElseThrow().sha256(), CheckpointStore.sha256("weights of epoch 3".getBytes(StandardCharsets.UTF_8)));
        // the quarantine is no checkpoint
        assertEquals(List.of(1, 2, 3), store.list(runId).stream().map(CheckpointManifest::epoch).toList());
    }

    @Test
    void anUnreadableManifestOrAMissingFileIsSkippedToo() throws Exception {
        String runId = newRunId();
        for (int epoch = 1; epoch <= 3; epoch++) {
            store.write(new CheckpointRef(runId, epoch), files(epoch), NORMALIZATION, Map.of());
        }
        put(new CheckpointRef(runId, 3).object(CheckpointFiles.MANIFEST), "{not json".getBytes(StandardCharsets.UTF_8));
        client.removeObject(RemoveObjectArgs.builder().bucket(LocalStack.DEFAULT_BUCKET)
                .object(new CheckpointRef(runId, 2).object(CheckpointFiles.OPTIMIZER)).build());

        IntactCheckpoint intact = store.newestIntact(runId, "test").orElseThrow();
        assertEquals(1, intact.epoch());
        assertEquals(List.of(3, 2), intact.skipped().stream().map(CheckpointDamage::epoch).toList());
        assertEquals(List.of(CheckpointFiles.MANIFEST, CheckpointFiles.OPTIMIZER),
                intact.skipped().stream().map(CheckpointDamage::file).toList());

        // nothing intact left: empty, every one marked, nothing deleted
        byte[] flipped = "weights of epoch 1".getBytes(StandardCharsets.UTF_8);
        flipped[0] ^= 0x40;
        put(new CheckpointRef(runId, 1).object(CheckpointFiles.PARAMETERS), flipped);
        assertTrue(store.newestIntact(runId, "test").isEmpty());
        for (int epoch = 1; epoch <= 3; epoch++) {
            assertTrue(store.damage(new CheckpointRef(runId, epoch)).isPresent(), "epoch " + epoch + " marked");
        }
        assertEquals(List.of(3, 2, 1), store.damaged(runId).stream().map(CheckpointDamage::epoch).toList());
        assertArrayEquals(flipped, get(new CheckpointRef(runId, 1).object(CheckpointFiles.PARAMETERS)));
        assertThrows(CheckpointException.class, () -> store.inspect(new CheckpointRef(runId, 4), "test"));
        assertThrows(IllegalArgumentException.class, () -> store.write(new CheckpointRef(runId, 4),
                Map.of(CheckpointFiles.CORRUPTED, new byte[1]), NORMALIZATION, Map.of()));
    }

    @Test
    void rewritingAnEpochReplacesTheManifestLast() {
        String runId = newRunId();
        CheckpointRef ref = new CheckpointRef(runId, 1);
        store.write(ref, files(1), NORMALIZATION, Map.of("loss", 5.0));
        Map<String, byte[]> again = Map.of(CheckpointFiles.PARAMETERS, "second".getBytes(StandardCharsets.UTF_8));
        store.write(ref, again, NORMALIZATION, Map.of("loss", 4.0));

        CheckpointManifest manifest = store.manifest(ref).orElseThrow();
        assertEquals(1, manifest.files().size());
        assertEquals(4.0, manifest.metrics().get("loss"));
        assertArrayEquals("second".getBytes(StandardCharsets.UTF_8), store.read(ref, CheckpointFiles.PARAMETERS));
    }

    @Test
    void refusesFileNamesThatWouldEscapeThePrefixOrReplaceTheManifest() {
        CheckpointRef ref = new CheckpointRef(newRunId(), 1);
        assertThrows(IllegalArgumentException.class,
                () -> store.write(ref, Map.of("../x.bin", new byte[1]), NORMALIZATION, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> store.write(ref, Map.of(CheckpointFiles.MANIFEST, new byte[1]), NORMALIZATION, Map.of()));
    }

    @Test
    void manifestJsonRoundTrips() {
        CheckpointManifest manifest = new CheckpointManifest(1, "r", 3, "2026-01-01T00:00:00Z", 0L, NORMALIZATION,
                Map.of("loss", 0.5), List.of(new CheckpointManifest.FileEntry("parameters.bin", 4, "ab")));
        assertEquals(manifest, CheckpointManifest.fromJson(manifest.toJson()));
        assertThrows(CheckpointException.class, () -> CheckpointManifest.fromJson("{not json".getBytes()));
    }

    @Test
    void manifestNamesItsWriterAndAFencedWriteLeavesNoManifest() {
        String runId = newRunId();
        CheckpointManifest.Writer writer = new CheckpointManifest.Writer("trainer-a", 3);
        store.write(new CheckpointRef(runId, 1), files(1), NORMALIZATION, Map.of(), writer,
                CheckpointStore.WriteFence.NONE);
        assertEquals(writer, store.latest(runId).orElseThrow().writer());

        // the owner loses the run after the first file: the write ends there and epoch 2 never gets a manifest
        int[] checks = {0};
        CheckpointStore.WriteFence lostAfterFirstFile = object -> {
            if (++checks[0] > 3) {
                throw new IllegalStateException("lost the run");
            }
        };
        assertThrows(IllegalStateException.class, () -> store.write(new CheckpointRef(runId, 2), files(2),
                NORMALIZATION, Map.of(), writer, lostAfterFirstFile));
        assertEquals(1, store.latest(runId).orElseThrow().epoch());
        assertEquals(List.of(1), store.list(runId).stream().map(CheckpointManifest::epoch).toList());
    }
}
