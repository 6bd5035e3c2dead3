package io.signstream.trainer.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import io.signstream.teacher.TeacherBatch;

/**
 * Turns a stream of samples into padded batches: a bounded shuffle buffer (reservoir-style: when full, a random
 * sample leaves), then a bucketing pool of {@code bucketBatches} batches sorted by length so each batch holds
 * samples of similar length (little padding), then the pool's batches in random order.
 * <p>
 * An epoch of n samples always gives exactly {@code ceil(n / batchSize)} batches (the pool holds whole batches, only
 * the last batch of the epoch may be smaller), so the learning-rate schedule knows its length in advance.
 * Memory is bounded by {@code shuffleBuffer + batchSize * bucketBatches} samples.
 */
public final class BatchAssembler {

    /** One training sample: row-major [frames x 6516] features and its gloss ids (1..V). */
    public record Example(String id, float[] features, int frames, int[] targets) {
    }

    private final int batchSize;
    private final int shuffleBuffer;
    private final int poolSize;
    private final Random random;
    private final List<Example> buffer = new ArrayList<>();
    private final List<Example> pool = new ArrayList<>();

    public BatchAssembler(int batchSize, int shuffleBuffer, int bucketBatches, Random random) {
        if (batchSize < 1 || shuffleBuffer < 1 || bucketBatches < 1) {
            throw new IllegalArgumentException("batchSize, shuffleBuffer and bucketBatches must be positive");
        }
        this.batchSize = batchSize;
        this.shuffleBuffer = shuffleBuffer;
        this.poolSize = batchSize * bucketBatches;
        this.random = random;
    }

    /** Adds a sample; returns the batches that became ready (often none). */
    public List<TeacherBatch> add(Example example) {
        buffer.add(example);
        if (buffer.size() <= shuffleBuffer) {
            return List.of();
        }
        return toPool(takeRandom());
    }

    /** The end of the epoch: everything still buffered, as batches. */
    public List<TeacherBatch> finish() {
        List<TeacherBatch> batches = new ArrayList<>();
        while (!buffer.isEmpty()) {
            batches.addAll(toPool(takeRandom()));
        }
        batches.addAll(flush());
        return batches;
    }

    public static int batchesPerEpoch(long samples, int batchSize) {
        return (int) ((samples + batchSize - 1) / batchSize);
    }

    private Example takeRandom() {
        int index = random.nextInt(buffer.size());
        Collections.swap(buffer, index, buffer.size() - 1);
        return buffer.remove(buffer.size() - 1);
    }

    private List<TeacherBatch> toPool(Example example) {
        pool.add(example);
        return pool.size() >= poolSize ? flush() : List.of();
    }

    private List<TeacherBatch> flush() {
        if (pool.isEmpty()) {
            return List.of();
        }
        pool.sort(Comparator.comparingInt(Example::frames));
        List<TeacherBatch> batches = new ArrayList<>();
        for (int from = 0; from < pool.size(); from += batchSize) {
            List<Example> chunk = pool.subList(from, Math.min(pool.size(), from + batchSize));
            List<float[]> features = new ArrayList<>(chunk.size());
            List<int[]> targets = new ArrayList<>(chunk.size());
            for (Example example : chunk) {
                features.add(example.features());
                targets.add(example.targets());
            }
            batches.add(TeacherBatch.pad(features, targets));
        }
        pool.clear();
        Collections.shuffle(batches, random);
        return batches;
    }
}
