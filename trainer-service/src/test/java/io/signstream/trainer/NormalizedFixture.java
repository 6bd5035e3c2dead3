package io.signstream.trainer;

import io.signstream.featurenormalization.Normalization;
import io.signstream.featurenormalization.Normalizations;
import io.signstream.featurenormalization.PerChannelZScore;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.KafkaBroker;
import io.signstream.localstack.TopicLayout;
import io.signstream.localstack.TopicProbe;
import io.signstream.localstack.synthetic.SyntheticDataset;
import io.signstream.localstack.synthetic.SyntheticOptions;

/**
 * Publishes the tiny synthetic data set to a normalized-features topic as the normalization service would: its
 * default normalization (the shared {@link PerChannelZScore}, version 2) and a stamp with that method's identity. Adds one unstamped
 * TRAIN record that the trainer must refuse. Once per topic per JVM.
 */
public final class NormalizedFixture {

    /** 5 glosses, 16 train sentences of 2-3 glosses (32-72 frames): 4 steps per epoch at batch 4. */
    public static final SyntheticOptions OPTIONS = SyntheticOptions.tiny().withSamples(16, 4, 0);
    public static final String UNSTAMPED_ID = "unstamped-train-0";
    private static final Normalization NORMALIZATION = Normalizations.create(PerChannelZScore.METHOD);
    public static final NormalizationStamp STAMP = NORMALIZATION.stamp("trainer-test", 0);

    private static final Set<String> PUBLISHED = new HashSet<>();

    private NormalizedFixture() {
    }

    public static synchronized void publish(String bootstrapServers, String topic) {
        if (!PUBLISHED.add(bootstrapServers + "/" + topic)) {
            return;
        }
        if (!topic.equals(io.signstream.contract.Topics.FEATURES_NORMALIZED)) {
            KafkaBroker.ensureTopics(bootstrapServers, List.of(new TopicLayout.TopicSpec(topic, 2,
                    Map.of("max.message.bytes", String.valueOf(TopicLayout.MAX_MESSAGE_BYTES)))));
        }
        SyntheticDataset dataset = new SyntheticDataset(OPTIONS);
        try (KafkaProducer<String, byte[]> producer = new TopicProbe(bootstrapServers).producer()) {
            List<Future<RecordMetadata>> sent = new java.util.ArrayList<>();
            for (Split split : List.of(Split.TRAIN, Split.DEV)) {
                for (int i = 0; i < dataset.count(split); i++) {
                    FeatureSample raw = dataset.sample(split, i).toFeatureSample();
                    FeatureSample normalized = normalize(raw);
                    sent.add(producer.send(new ProducerRecord<>(topic, normalized.getSampleId(),
                            FeatureSampleCodec.encode(normalized))));
                }
            }
            FeatureSample unstamped = dataset.sample(Split.TRAIN, 0).toFeatureSample().toBuilder()
                    .setSampleId(UNSTAMPED_ID).build();
            sent.add(producer.send(new ProducerRecord<>(topic, UNSTAMPED_ID, FeatureSampleCodec.encode(unstamped))));
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish the fixture to " + topic, e);
        }
    }

    public static FeatureSample normalize(FeatureSample raw) {
        float[] z = NORMALIZATION.apply(FeatureTensor.toFloats(raw.getFeatures()), raw.getFrameCount(),
                FeatureLayout.DIMS);
        return raw.toBuilder().setFeatures(FeatureTensor.toBytes(z))
                .setNormalization(STAMP.toBuilder().setNormalizedAtEpochMs(System.currentTimeMillis())).build();
    }
}
