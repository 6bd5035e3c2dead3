package io.signstream.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.signstream.contract.FeatureLayout;
import io.signstream.teacher.TeacherBatch;

class BatchAssemblerTest {

    private static BatchAssembler.Example example(int id, int frames) {
        float[] features = new float[frames * FeatureLayout.DIMS];
        // column 0 of every frame carries the sample id, so batches can be traced back to samples
        for (int t = 0; t < frames; t++) {
            features[t * FeatureLayout.DIMS] = id;
        }
        return new BatchAssembler.Example("s" + id, features, frames, new int[] {1 + id % 3});
    }

    private static List<TeacherBatch> epoch(int samples, int batchSize, long seed) {
        BatchAssembler assembler = new BatchAssembler(batchSize, 5, 2, new Random(seed));
        List<TeacherBatch> batches = new ArrayList<>();
        Random lengths = new Random(99);
        for (int i = 0; i < samples; i++) {
            batches.addAll(assembler.add(example(i, 1 + lengths.nextInt(40))));
        }
        batches.addAll(assembler.finish());
        return batches;
    }

    @Test
    void everySampleExactlyOnceInCeilNOverBBatches() {
        for (int samples : new int[] {1, 7, 16, 23, 40}) {
            List<TeacherBatch> batches = epoch(samples, 4, 1);
            assertEquals(BatchAssembler.batchesPerEpoch(samples, 4), batches.size(), samples + " samples");
            Set<Integer> seen = new HashSet<>();
            for (TeacherBatch batch : batches) {
                for (int b = 0; b < batch.batchSize(); b++) {
                    int id = (int) batch.features()[b * batch.maxFrames() * FeatureLayout.DIMS];
                    assertTrue(seen.add(id), "sample " + id + " twice");
                    assertEquals(1 + id % 3, batch.targets()[b][0]);
                }
            }
            assertEquals(samples, seen.size());
        }
        assertEquals(6, BatchAssembler.batchesPerEpoch(24, 4));
        assertEquals(7, BatchAssembler.batchesPerEpoch(25, 4));
    }

    @Test
    void batchesHoldSamplesOfSimilarLengthAndPadToTheLongest() {
        for (TeacherBatch batch : epoch(40, 4, 3)) {
            int longest = 0;
            for (int length : batch.frameLengths()) {
                longest = Math.max(longest, length);
            }
            assertEquals(longest, batch.maxFrames());
        }
        // bucketing: the padding of sorted pools is less than that of arrival-order batches
        long bucketedPadding = epoch(40, 4, 3).stream().mapToLong(BatchAssemblerTest::padding).sum();
        BatchAssembler noBucketing = new BatchAssembler(4, 1, 1, new Random(3));
        long plainPadding = 0;
        Random lengths = new Random(99);
        for (int i = 0; i < 40; i++) {
            plainPadding += noBucketing.add(example(i, 1 + lengths.nextInt(40))).stream()
                    .mapToLong(BatchAssemblerTest::padding).sum();
        }
        plainPadding += noBucketing.finish().stream().mapToLong(BatchAssemblerTest::padding).sum();
        assertTrue(bucketedPadding < plainPadding, bucketedPadding + " vs " + plainPadding);
    }

    @Test
    void orderFollowsTheSeed() {
        assertEquals(order(epoch(23, 4, 5)), order(epoch(23, 4, 5)));
        assertTrue(!order(epoch(23, 4, 5)).equals(order(epoch(23, 4, 6))), "another seed, another order");
    }

    private static List<Integer> order(List<TeacherBatch> batches) {
        List<Integer> ids = new ArrayList<>();
        for (TeacherBatch batch : batches) {
            for (int b = 0; b < batch.batchSize(); b++) {
                ids.add((int) batch.features()[b * batch.maxFrames() * FeatureLayout.DIMS]);
            }
        }
        return ids;
    }

    private static long padding(TeacherBatch batch) {
        long padding = 0;
        for (int length : batch.frameLengths()) {
            padding += batch.maxFrames() - length;
        }
        return padding;
    }
}
