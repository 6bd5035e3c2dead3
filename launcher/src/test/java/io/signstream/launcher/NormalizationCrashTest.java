package io.signstream.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.RecordHeaders;
import io.signstream.contract.Topics;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.TopicProbe;

/**
 * The normalization service as a real process, killed with SIGKILL while it works through a few hundred raw
 * records and started again: every raw record ends normalized or rejected, none is lost, a record normalized
 * twice (its output written, its offset not yet committed at the kill) comes out with the same values and stamp
 * parameters, and the restarted service normalizes again within seconds, not after Kafka's 45 s session expiry.
 */
class NormalizationCrashTest {

    private static final int RECORDS = 300;
    private static final int FRAMES = 60;
    private static final long PRODUCE_INTERVAL_MS = 25;

    @Test
    void killedMidStreamLosesNothingAndAnyReplayedCopyIsTheSame() throws Exception {
        Stack stack = new Stack(StackFixture.isolatedSettings(), new Progress(System.out));
        StackState state = stack.up(EnumSet.of(ServiceSpec.NORMALIZATION));
        try {
            TopicProbe probe = new TopicProbe(state.bootstrapServers());
            Set<String> good = new HashSet<>();
            Set<String> bad = new HashSet<>();
            for (int i = 0; i < RECORDS; i++) {
                // Every tenth has a NaN: the rejected path is replayed across the kill too.
                (i % 10 == 9 ? bad : good).add(id(i));
            }
            // Raw records keep arriving before, during and after the kill (a paced producer, as a live ingest
            // would send them), so the kill always lands while the service has work in hand: on a quiet machine
            // a burst sent up front was sometimes all normalized before the SIGKILL arrived.
            ExecutorService producing = Executors.newSingleThreadExecutor();
            Future<?> produced = producing.submit(() -> {
                try (KafkaProducer<String, byte[]> producer = probe.producer()) {
                    List<Future<?>> sent = new ArrayList<>();
                    for (int i = 0; i < RECORDS; i++) {
                        sent.add(producer.send(
                                new ProducerRecord<>(Topics.FEATURES_RAW, id(i), sample(id(i), i, i % 10 == 9))));
                        Thread.sleep(PRODUCE_INTERVAL_MS);
                    }
                    for (Future<?> future : sent) {
                        future.get(60, TimeUnit.SECONDS);
                    }
                }
                return null;
            });
            producing.shutdown();
            probe.readUntil(Topics.FEATURES_NORMALIZED_TRAIN, r -> r.size() >= 30, Duration.ofSeconds(120));
            ProcessHandle service = ProcessHandle.of(state.processes().get(ServiceSpec.NORMALIZATION.module()))
                    .orElseThrow();
            service.destroyForcibly();
            service.onExit().get(30, TimeUnit.SECONDS);
            long killedAt = System.currentTimeMillis();
            long atKill = recordCount(probe, Topics.FEATURES_NORMALIZED_TRAIN);
            assertTrue(atKill >= 30 && atKill < good.size(), "killed after " + atKill + " outputs, not mid-stream");
            produced.get(120, TimeUnit.SECONDS);

            state = stack.restart(ServiceSpec.NORMALIZATION);
            List<ConsumerRecord<String, byte[]>> normalized = probe.readUntil(Topics.FEATURES_NORMALIZED_TRAIN,
                    r -> keys(r).containsAll(good), Duration.ofSeconds(180));
            List<ConsumerRecord<String, byte[]>> rejected = probe.readUntil(Topics.FEATURES_REJECTED,
                    r -> keys(r).containsAll(bad), Duration.ofSeconds(60));

            assertEquals(good, keys(normalized), "every valid record normalized, nothing else");
            assertEquals(bad, keys(rejected), "every NaN record rejected, nothing else");
            rejected.forEach(r -> assertEquals("NON_FINITE", TopicProbe.header(r, RecordHeaders.REASON)));
            Map<String, FeatureSample> first = new HashMap<>();
            int duplicates = 0;
            for (ConsumerRecord<String, byte[]> record : normalized) {
                FeatureSample sample = FeatureSampleCodec.decode(record.value());
                assertEquals(NormalizationStamp.State.NORMALIZED, sample.getNormalization().getState());
                FeatureSample earlier = first.putIfAbsent(record.key(), sample);
                if (earlier != null) {
                    duplicates++;
                    assertArrayEquals(earlier.getFeatures().toByteArray(), sample.getFeatures().toByteArray(),
                            "values of the replayed copy of " + record.key());
                    assertEquals(earlier.getNormalization().getParametersMap(),
                            sample.getNormalization().getParametersMap(), "stamp of the replayed copy");
                    assertEquals(earlier.toBuilder().clearNormalization().build(),
                            sample.toBuilder().clearNormalization().build(), "replayed copy of " + record.key());
                }
            }
            long resumedAt = normalized.stream().mapToLong(ConsumerRecord::timestamp).filter(t -> t > killedAt)
                    .min().orElseThrow();
            System.out.printf("normalization crash: killed at %d outputs; %d normalized copies of %d valid "
                    + "records (%d replayed), %d rejected; first output %.1f s after the kill (restart included)%n",
                    atKill, normalized.size(), good.size(), duplicates, rejected.size(),
                    (resumedAt - killedAt) / 1000.0);
            assertTrue(resumedAt - killedAt < 30_000, "normalizing again " + (resumedAt - killedAt) + " ms after the kill");
        } finally {
            assertEquals(List.of(), stack.down());
        }
        assertTrue(StackFixture.allStopped(state));
        assertFalse(stack.isUp());
    }

    private static String id(int i) {
        return String.format("crash-%04d", i);
    }

    /** Records written to the topic so far: the sum of its partitions' end offsets (no compaction, no transactions). */
    private static long recordCount(TopicProbe probe, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = probe.consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }

    private static Set<String> keys(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> keys = new HashSet<>();
        records.forEach(r -> keys.add(r.key()));
        return keys;
    }

    private static byte[] sample(String id, int seed, boolean nan) {
        float[] values = new float[FRAMES * FeatureLayout.DIMS];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((i * 31 + seed * 7) % 97) / 97f;
        }
        if (nan) {
            values[FeatureLayout.DIMS + 5] = Float.NaN;
        }
        return FeatureSampleCodec.encode(FeatureSample.newBuilder().setSampleId(id).setSplit(Split.TRAIN)
                .addGlosses("REGEN").setFrameCount(FRAMES).setFeatureDims(FeatureLayout.DIMS)
                .setFeatures(FeatureTensor.toBytes(values)).setSigner("Signer01").setSource("crash-test").build());
    }
}
