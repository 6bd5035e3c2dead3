package io.signstream.featurestream;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.header.internals.RecordHeader;

import com.google.protobuf.ByteString;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.LocalStack;
import io.signstream.localstack.TopicLayout;
import io.signstream.localstack.TopicProbe;

/** A fresh topic per test on the shared real broker (so tests never see each other's records), and sample builders. */
final class TestTopics {

    static final NormalizationStamp ZSCORE = NormalizationStamp.newBuilder()
            .setState(NormalizationStamp.State.NORMALIZED)
            .setMethod("zscore-per-channel").setMethodVersion(1)
            .putParameters("epsilon", "1.0E-5")
            .setNormalizedBy("normalization-test-0").setNormalizedAtEpochMs(1_700_000_000_000L)
            .build();

    private TestTopics() {
    }

    static LocalStack stack() {
        return LocalStack.shared();
    }

    static TopicProbe probe() {
        return new TopicProbe(stack().bootstrapServers());
    }

    /** A new topic shaped like features.normalized: 4 partitions, 17 MiB records. */
    static String create(String purpose) {
        String name = "test." + purpose + "." + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 4, (short) 1)
                    .configs(Map.of("max.message.bytes", String.valueOf(TopicLayout.MAX_MESSAGE_BYTES)))))
                    .all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
        return name;
    }

    static FeatureStreamConfig config(String topic) {
        return FeatureStreamConfig.of(stack().bootstrapServers()).withTopic(topic);
    }

    /** Frame f, column c holds f + c / 10000: every value says where it came from. */
    static float[] values(int frames, float offset) {
        float[] values = new float[frames * FeatureLayout.DIMS];
        for (int i = 0; i < values.length; i++) {
            values[i] = offset + (i / FeatureLayout.DIMS) + (i % FeatureLayout.DIMS) / 10000f;
        }
        return values;
    }

    static FeatureSample.Builder sample(String id, Split split, int frames, NormalizationStamp stamp, String... glosses) {
        FeatureSample.Builder builder = FeatureSample.newBuilder()
                .setSampleId(id)
                .setSplit(split)
                .addAllGlosses(List.of(glosses.length == 0 ? new String[] {"REGEN", "NORD"} : glosses))
                .setFrameCount(frames)
                .setFeatureDims(FeatureLayout.DIMS)
                .setFeatures(FeatureTensor.toBytes(values(frames, 0f)));
        if (stamp != null) {
            builder.setNormalization(stamp);
        }
        return builder;
    }

    static void publish(String topic, FeatureSample sample) {
        probe().send(topic, sample.getSampleId(), FeatureSampleCodec.encode(sample));
    }

    static void publishRaw(String topic, String key, byte[] value) {
        probe().send(topic, key, value, new RecordHeader("test", "raw".getBytes()));
    }

    static ByteString bytes(float[] values) {
        return FeatureTensor.toBytes(values);
    }
}
