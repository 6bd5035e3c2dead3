package io.signstream.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.signstream.contract.RecordHeaders;
import io.signstream.contract.Topics;

class LocalStackTest {

    private final LocalStack stack = LocalStack.shared();

    @Test
    void createsTheSystemTopicsWithTheirPartitions() throws Exception {
        try (Admin admin = stack.kafka().admin()) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertTrue(names.containsAll(Set.of(Topics.FEATURES_RAW, Topics.FEATURES_NORMALIZED,
                    Topics.FEATURES_REJECTED, Topics.TRAINING_EVENTS, Topics.EVALUATION_RESULTS)), names.toString());
            int partitions = admin.describeTopics(Set.of(Topics.FEATURES_RAW)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(Topics.FEATURES_RAW).partitions().size();
            assertEquals(4, partitions);
        }
    }

    @Test
    void brokerCarriesARecordOfFifteenMegabytes() {
        byte[] value = new byte[15 * 1024 * 1024];
        new Random(7).nextBytes(value);
        TopicProbe probe = new TopicProbe(stack.bootstrapServers());

        probe.send(Topics.FEATURES_REJECTED, "big-one", value,
                new RecordHeader(RecordHeaders.REASON, "TEST".getBytes(StandardCharsets.UTF_8)));
        ConsumerRecord<String, byte[]> read = probe.awaitKey(Topics.FEATURES_REJECTED, "big-one", Duration.ofSeconds(60));

        assertArrayEquals(value, read.value());
        assertEquals("TEST", TopicProbe.header(read, RecordHeaders.REASON));
    }

    @Test
    void objectStoreKeepsWhatTheMinioClientPuts() throws Exception {
        MinioClient client = stack.objectStore().client();
        byte[] content = "checkpoint bytes".getBytes(StandardCharsets.UTF_8);
        client.putObject(PutObjectArgs.builder().bucket(stack.bucket()).object("runs/r1/manifest.json")
                .stream(new ByteArrayInputStream(content), content.length, -1).build());

        try (var in = client.getObject(GetObjectArgs.builder().bucket(stack.bucket())
                .object("runs/r1/manifest.json").build())) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }
}
