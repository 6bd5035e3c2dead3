package io.signstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.NormalizationStamps;
import io.signstream.contract.Topics;
import io.signstream.contract.npy.FeatureMatrix;
import io.signstream.contract.npy.Npy;
import io.signstream.localstack.KafkaAccess;
import io.signstream.localstack.KafkaAuth;

/**
 * {@code ./signstream up --kafka-auth}: the broker authenticates every client and enforces local-stack's KafkaAccess,
 * and the services, configured only through their environment (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM,
 * KAFKA_SASL_JAAS_CONFIG: what deploy/ sets in their pods), still import, publish and normalize as their principals.
 */
class AuthenticatedStackTest {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static Stack stack;
    private static StackState state;
    private static LauncherSettings settings;

    @BeforeAll
    static void startDataPathWithKafkaAuth() {
        settings = StackFixture.isolatedSettings().withKafkaAuth();
        stack = new Stack(settings, new Progress(System.out));
        state = stack.up(EnumSet.of(ServiceSpec.INGEST, ServiceSpec.NORMALIZATION));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            assertEquals(List.of(), stack.down(), "every process stops on SIGTERM");
            assertTrue(StackFixture.allStopped(state));
        }
    }

    @Test
    void anImportIsPublishedAndNormalizedByTheServicesAsTheirOwnPrincipals() throws Exception {
        Path corpus = settings.importRoot().resolve("authenticated-" + System.nanoTime());
        Files.createDirectories(corpus.resolve("train"));
        String id = "sasl-" + System.nanoTime();
        Files.writeString(corpus.resolve("train.corpus.csv"), "id|folder|signer|annotation\n" + id + "|" + id
                + "/1/*.png|Signer01|REGEN NORD\n", StandardCharsets.UTF_8);
        float[] values = new float[2 * FeatureLayout.DIMS];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 11) * 0.01f + (i / FeatureLayout.DIMS);
        }
        Files.write(corpus.resolve("train").resolve(id + ".npy"), Npy.toBytes(new FeatureMatrix(2, FeatureLayout.DIMS, values)));

        // The launcher's own wait reads the normalization group's offsets as the super user.
        JsonNode job = new Workflow(state, new Progress(System.out)).publish(corpus);
        assertEquals(1, job.path("published").asInt(), job.toString());

        ConsumerRecord<String, byte[]> normalized = awaitKey(KafkaAuth.SUPER_USER, Topics.FEATURES_NORMALIZED_TRAIN, id);
        assertTrue(NormalizationStamps.isNormalized(FeatureSampleCodec.decode(normalized.value())));

        // The job's state is on ingest.imports, written as the ingest principal ...
        JsonNode stored = JSON.readTree(awaitKey(KafkaAuth.SUPER_USER, Topics.INGEST_IMPORTS,
                "import/" + job.path("id").asText()).value());
        assertEquals(job.path("owner").asText(), stored.path("owner").asText(), stored.toString());
        // ... and the service reads that topic back as the ingest principal (assigned, no group ACL): a job another
        // instance wrote there is answered by this one.
        String foreign = "sasl-foreign-" + System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = superUserProducer()) {
            producer.send(new ProducerRecord<>(Topics.INGEST_IMPORTS, "import/" + foreign, JSON.writeValueAsBytes(Map.of(
                    "id", foreign, "directory", "/elsewhere", "splits", List.of("train"), "status", "COMPLETED",
                    "createdAt", "2026-01-01T00:00:00Z", "total", 1, "processed", 1, "published", 1,
                    "owner", "ingest-another")))).get(30, TimeUnit.SECONDS);
        }
        ServiceClient ingest = state.client(ServiceSpec.INGEST);
        JsonNode answered = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                answered = ingest.get("/imports/" + foreign);
                break;
            } catch (RuntimeException notYet) {
                Thread.sleep(500);
            }
        }
        assertTrue(answered != null, "the ingest service never answered the import another instance wrote");
        assertEquals("ingest-another", answered.path("owner").asText(), answered.toString());
        assertEquals("COMPLETED", answered.path("status").asText(), answered.toString());
    }

    private static KafkaProducer<String, byte[]> superUserProducer() {
        Map<String, Object> config = new HashMap<>(state.kafkaClientProperties(KafkaAuth.SUPER_USER));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, state.bootstrapServers());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    @Test
    void everyServiceGetsItsOwnPrincipalAndThePasswordsStayWithTheUser() throws Exception {
        Set<String> principals = new TreeSet<>(state.kafkaPasswords().keySet());
        Set<String> expected = new TreeSet<>(Set.of(KafkaAuth.SUPER_USER));
        KafkaAccess.DEFAULT.forEach(p -> expected.add(p.name()));
        assertEquals(expected, principals);
        for (ServiceSpec service : ServiceSpec.values()) {
            Map<String, Object> client = state.kafkaClientProperties(service.module());
            assertEquals("SASL_PLAINTEXT", client.get("security.protocol"));
            assertEquals(KafkaAuth.SCRAM_MECHANISM, client.get("sasl.mechanism"));
            assertTrue(client.get("sasl.jaas.config").toString().contains("username=\"" + service.module() + "\""));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                settings.home().resolve("stack.json"))));
    }

    @Test
    void theIngestPrincipalCannotWriteNormalizedFeatures() {
        Map<String, Object> config = new HashMap<>(state.kafkaClientProperties(KafkaAccess.INGEST));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, state.bootstrapServers());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> producer.send(
                    new ProducerRecord<>(Topics.FEATURES_NORMALIZED_TRAIN, "forged", "not normalized")).get(30, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
        }
    }

    private static ConsumerRecord<String, byte[]> awaitKey(String principal, String topic, String key) {
        Map<String, Object> config = new HashMap<>(state.kafkaClientProperties(principal));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, state.bootstrapServers());
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 17 * 1024 * 1024);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError(key + " did not appear on " + topic);
    }
}
