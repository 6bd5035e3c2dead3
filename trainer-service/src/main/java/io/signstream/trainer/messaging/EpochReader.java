package io.signstream.trainer.messaging;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.signstream.contract.proto.Split;
import io.signstream.featurestream.CachedPass;
import io.signstream.featurestream.FeatureStream;
import io.signstream.featurestream.FeatureStreamConfig;
import io.signstream.featurestream.NormalizedSample;
import io.signstream.featurestream.PassRequest;
import io.signstream.featurestream.PassSummary;
import io.signstream.featurestream.SplitCache;
import io.signstream.scoring.Vocabulary;
import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherConfig;
import io.signstream.contract.FeatureLayout;
import io.signstream.teacher.SpeedPerturbation;
import io.signstream.trainer.domain.BatchAssembler;
import io.signstream.trainer.domain.RunOptions;
import io.signstream.trainer.domain.SamplePreparer;

/**
 * Feeds the training loop from Kafka: a loader thread passes over the train split ({@code features.normalized.train})
 * for every epoch (from the beginning to the end offsets captured when the epoch's pass opens), shuffles within a
 * bounded buffer, buckets by length, pads, and keeps up to {@code prefetchBatches} batches ready in a queue, running
 * on into the next epoch while the model trains, so the device never waits for data. Records that are unstamped or
 * normalized differently from the run's stamp are refused by the feature stream (counted in the epoch's summary).
 * <p>
 * The first epoch reads the broker and fills the run's {@link SplitCache} on local disk; later epochs read the cache
 * and only what the broker got since (a GPU steps faster than a broker pass decodes and validates samples). The cache
 * is deleted when the loader ends: the run completed, stopped or failed.
 * <p>
 * Shuffling is seeded by (run seed, epoch): a resumed run sees the same order for an epoch as the first attempt did
 * (given the same topic content).
 */
public final class EpochReader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EpochReader.class);

    /** What the loader hands the training loop, in order. */
    public sealed interface Item permits Batch, EpochEnd, Failure {
    }

    public record Batch(int epoch, TeacherBatch batch) implements Item {
    }

    /**
     * The epoch's data is exhausted: {@code samples} were batched, the pass met what {@code pass} says; of its kept
     * samples {@code fromCache} came from the local cache, the rest from the broker.
     */
    public record EpochEnd(int epoch, long samples, PassSummary pass, Map<String, Long> skipped, long fromCache)
            implements Item {
    }

    public record Failure(Throwable error) implements Item {
    }

    /**
     * Loader sizes: memory is bounded by shuffleBuffer + batch * (bucketBatches + prefetchBatches) samples (at an epoch
     * boundary, another shuffleBuffer: the next epoch fills its buffer while the last one's batches are taken), local
     * disk by the cache's bound.
     */
    public record Settings(int shuffleBuffer, int bucketBatches, int prefetchBatches, SplitCache.Settings cache) {

        public Settings {
            if (shuffleBuffer < 1 || bucketBatches < 1 || prefetchBatches < 1) {
                throw new IllegalArgumentException("loader sizes must be positive");
            }
            cache = cache == null ? SplitCache.Settings.off() : cache;
        }

        /** Without a cache: every epoch reads the broker. */
        public Settings(int shuffleBuffer, int bucketBatches, int prefetchBatches) {
            this(shuffleBuffer, bucketBatches, prefetchBatches, SplitCache.Settings.off());
        }
    }

    private final FeatureStreamConfig config;
    private final String normalization;
    private final Vocabulary vocabulary;
    private final TeacherConfig model;
    private final int maxFrames;
    private final int batchSize;
    private final SpeedPerturbation speed;
    private final Settings settings;
    private final long seed;
    private final int firstEpoch;
    private final int lastEpoch;
    private final BlockingQueue<Item> queue;
    /** An epoch's last batches and its end, flushed at once and handed over while the next epoch is read. */
    private final java.util.ArrayDeque<Item> pending = new java.util.ArrayDeque<>();
    private final String runId;
    private final Thread loader;
    private volatile boolean closed;

    /**
     * @param options the run's options: its model's temporal stride decides which samples can be aligned, its speed
     *        perturbation resamples each sample anew every epoch
     */
    public EpochReader(FeatureStreamConfig config, String normalization, Vocabulary vocabulary, RunOptions options,
            Settings settings, int firstEpoch, int lastEpoch, String runId) {
        this.config = config;
        this.normalization = normalization;
        this.vocabulary = vocabulary;
        this.model = options.model();
        this.maxFrames = options.maxFrames();
        this.batchSize = options.batchSize();
        this.speed = options.speedPerturbation();
        this.settings = settings;
        this.seed = options.seed();
        this.firstEpoch = firstEpoch;
        this.lastEpoch = lastEpoch;
        this.queue = new ArrayBlockingQueue<>(settings.prefetchBatches());
        this.runId = runId;
        this.loader = new Thread(this::load, "epoch-reader-" + runId);
        this.loader.setDaemon(true);
    }

    /** The shuffle seed of one epoch. */
    public static long epochSeed(long runSeed, int epoch) {
        return runSeed * 1_000_003L + epoch;
    }

    public EpochReader start() {
        loader.start();
        return this;
    }

    /** The next item, or null when none arrived within the timeout. */
    public Item poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    private void load() {
        try (FeatureStream stream = new FeatureStream(config);
                SplitCache cache = new SplitCache(stream, settings.cache(), runId)) {
            for (int epoch = firstEpoch; epoch <= lastEpoch && !closed; epoch++) {
                loadEpoch(cache, epoch);
            }
            handOverAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            if (closed) {
                return;
            }
            LOG.errorf(e, "loading the train split failed");
            try {
                // the previous epoch's end (and checkpoint) still comes first
                handOverAll();
                queue.put(new Failure(e));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loadEpoch(SplitCache cache, int epoch) throws InterruptedException {
        BatchAssembler assembler = new BatchAssembler(batchSize, settings.shuffleBuffer(), settings.bucketBatches(),
                new Random(epochSeed(seed, epoch)));
        SamplePreparer preparer = new SamplePreparer(model, vocabulary, maxFrames);
        Random speeds = new Random(~epochSeed(seed, epoch));
        long samples = 0;
        PassSummary summary;
        long fromCache;
        try (CachedPass pass = cache.open(PassRequest.expectingDescription(Split.TRAIN, normalization))) {
            while (pass.hasNext()) {
                if (closed) {
                    return;
                }
                NormalizedSample sample = pass.next();
                handOverWhatFits();
                var example = preparer.prepare(sample);
                if (example.isPresent()) {
                    samples++;
                    for (TeacherBatch batch : assembler.add(perturbed(example.get(), speeds))) {
                        // the previous epoch's last batches go first: the model sees epochs in order
                        handOverAll();
                        queue.put(new Batch(epoch, batch));
                    }
                }
            }
            summary = pass.summary();
            fromCache = pass.fromCache();
        }
        // Without waiting for the model to take them: the next epoch's pass opens and fills its shuffle buffer
        // meanwhile (else the model would wait for that at every epoch boundary: measured 10% of a 25 ms step's epoch).
        for (TeacherBatch batch : assembler.finish()) {
            pending.add(new Batch(epoch, batch));
        }
        pending.add(new EpochEnd(epoch, samples, summary, preparer.skipped(), fromCache));
        handOverWhatFits();
    }

    /** Moves what the queue has room for from the epoch's flushed batches into it, without blocking. */
    private void handOverWhatFits() {
        while (!pending.isEmpty() && queue.offer(pending.peekFirst())) {
            pending.removeFirst();
        }
    }

    /** Moves every flushed batch into the queue, waiting for room. */
    private void handOverAll() throws InterruptedException {
        while (!pending.isEmpty()) {
            queue.put(pending.removeFirst());
        }
    }

    private BatchAssembler.Example perturbed(BatchAssembler.Example example, Random random) {
        if (!speed.enabled()) {
            return example;
        }
        float[] features = speed.apply(example.features(), example.targets(), model, random);
        return new BatchAssembler.Example(example.id(), features, features.length / FeatureLayout.DIMS,
                example.targets());
    }

    /** Stops the loader (it may be blocked on a full queue or in a poll) and waits for it briefly. */
    @Override
    public void close() {
        closed = true;
        loader.interrupt();
        queue.clear();
        try {
            loader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
