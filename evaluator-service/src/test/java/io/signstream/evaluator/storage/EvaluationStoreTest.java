package io.signstream.evaluator.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.minio.PutObjectArgs;
import io.signstream.evaluator.domain.DecoderSpec;
import io.signstream.evaluator.domain.Evaluation;
import io.signstream.evaluator.domain.EvaluationStatus;
import io.signstream.evaluator.SharedStack;

/** The durable store on the real S3 server, read back through a second, fresh store as a restarted service would. */
class EvaluationStoreTest {

    private static Evaluation job(String id, String run, int epoch) {
        return Evaluation.queued(id, Evaluation.TRIGGER_API, new Evaluation.CheckpointInfo(run, epoch, "epoch", "z@v1{}"),
                "dev", DecoderSpec.beam(4), false);
    }

    @Test
    void savedEvaluationsAreReadBackWholeByAFreshStore() {
        EvaluationStore store = new EvaluationStore(SharedStack.client(), SharedStack.bucket());
        Evaluation first = job("ev-store-0", "store-run", 2);
        Evaluation completed = job("ev-store-1", "store-run", 3).running().completed("z@v1{}",
                new Evaluation.Scores(0.5, 1.0, 1, 1, 0, 4, 3, 2, 2),
                new Evaluation.DataSummary("features.normalized", 5, 2, Map.of("NOT_NORMALIZED", 1L), 0, Map.of("z@v1{}", 2L)),
                List.of(new Evaluation.SampleResult("dev-1", "A B", "A C", 1, 0, 0, 2, List.of(
                        new Evaluation.AlignedStep("CORRECT", "A", "A"), new Evaluation.AlignedStep("SUBSTITUTION", "B", "C"))),
                        new Evaluation.SampleResult("dev-2", "D E", "D", 0, 1, 0, 2, List.of(
                                new Evaluation.AlignedStep("CORRECT", "D", "D"), new Evaluation.AlignedStep("DELETION", "E", null)))));
        store.save(first);
        store.save(completed);
        store.save(job("ev-store-other", "other-run", 1));

        EvaluationStore fresh = new EvaluationStore(SharedStack.client(), SharedStack.bucket());
        Evaluation read = fresh.find("ev-store-1").orElseThrow();
        assertEquals(completed, read);
        assertEquals(EvaluationStatus.COMPLETED, read.status());
        assertEquals(List.of("ev-store-0", "ev-store-1"), fresh.listByRun("store-run").stream().map(Evaluation::id).toList());
        assertTrue(fresh.find("ev-missing").isEmpty());
        assertTrue(fresh.find("../escape").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> EvaluationStore.objectName("a/b"));
    }

    @Test
    void anUnreadableObjectIsSkippedNotFatal() throws Exception {
        byte[] junk = "{not json".getBytes();
        SharedStack.client().putObject(PutObjectArgs.builder().bucket(SharedStack.bucket())
                .object(EvaluationStore.PREFIX + "ev-junk.json").stream(new ByteArrayInputStream(junk), junk.length, -1).build());
        byte[] empty = "{}".getBytes();
        SharedStack.client().putObject(PutObjectArgs.builder().bucket(SharedStack.bucket())
                .object(EvaluationStore.PREFIX + "ev-empty.json").stream(new ByteArrayInputStream(empty), empty.length, -1).build());
        EvaluationStore store = new EvaluationStore(SharedStack.client(), SharedStack.bucket());
        store.save(job("ev-store-after-junk", "junk-run", 1));
        assertEquals(List.of("ev-store-after-junk"), store.listByRun("junk-run").stream().map(Evaluation::id).toList());
        assertThrows(EvaluationStore.StorageException.class, () -> store.find("ev-empty"));
        assertTrue(store.loadAll().stream().noneMatch(e -> e.id().equals("ev-junk") || e.id().equals("ev-empty")));
    }
}
