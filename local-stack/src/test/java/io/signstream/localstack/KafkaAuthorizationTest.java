package io.signstream.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.signstream.contract.Topics;

/** A real KRaft broker with SASL and ACLs, configured with {@link KafkaAccess#DEFAULT}: only who should may write. */
class KafkaAuthorizationTest {

    @TempDir
    static Path directory;

    private static KafkaBroker broker;
    private static final Map<String, String> PASSWORDS = new HashMap<>();

    @BeforeAll
    static void startAuthenticatedBroker() {
        // 180 s: a second broker beside the shared one, on a build machine that may be busy
        broker = KafkaBroker.start(directory.resolve("kafka"), FreePorts.pick(), Duration.ofSeconds(180), KafkaAuth.scram());
        broker.ensureTopics(TopicLayout.DEFAULT);
        KafkaAccess.DEFAULT.forEach(p -> PASSWORDS.put(p.name(), KafkaAuth.randomPassword()));
        broker.applyAccess(KafkaAccess.DEFAULT, PASSWORDS);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(config);
    }

    private static KafkaProducer<String, String> producerOf(String principal) {
        return producer(broker.auth().clientProperties(principal, PASSWORDS.get(principal)));
    }

    /** The send's failure, unwrapped; fails the test when the send succeeds. */
    private static Throwable sendFails(KafkaProducer<String, String> producer, String topic) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS),
                "the send to " + topic + " was accepted");
        return failed.getCause();
    }

    @Test
    void aPrincipalWithoutTheAclCannotWriteTheNormalizedTopic() {
        for (String principal : List.of(KafkaAccess.INGEST, KafkaAccess.EXTERNAL_PUBLISHER, KafkaAccess.TRAINER,
                KafkaAccess.EVALUATOR)) {
            try (KafkaProducer<String, String> producer = producerOf(principal)) {
                Throwable cause = sendFails(producer, Topics.FEATURES_NORMALIZED_TRAIN);
                assertInstanceOf(TopicAuthorizationException.class, cause, principal + ": " + cause);
                assertTrue(((TopicAuthorizationException) cause).unauthorizedTopics().contains(Topics.FEATURES_NORMALIZED_TRAIN));
            }
        }
    }

    @Test
    void theNormalizationPrincipalWritesTheNormalizedAndRejectedTopics() throws Exception {
        try (KafkaProducer<String, String> producer = producerOf(KafkaAccess.NORMALIZATION)) {
            for (String topic : List.of(Topics.FEATURES_NORMALIZED_TRAIN, Topics.FEATURES_NORMALIZED_DEV,
                    Topics.FEATURES_NORMALIZED_TEST, Topics.FEATURES_REJECTED)) {
                RecordMetadata written = producer.send(new ProducerRecord<>(topic, "sample-1", "stamped"))
                        .get(30, TimeUnit.SECONDS);
                assertEquals(topic, written.topic());
                assertTrue(written.offset() >= 0);
            }
            // ... and nothing else: it cannot publish raw samples itself, nor write the legacy all-splits topic
            assertInstanceOf(TopicAuthorizationException.class, sendFails(producer, Topics.FEATURES_RAW));
            assertInstanceOf(TopicAuthorizationException.class, sendFails(producer, Topics.FEATURES_NORMALIZED));
        }
    }

    @Test
    void ingestAndTheExternalPublisherWriteRawSamplesOnly() throws Exception {
        for (String principal : List.of(KafkaAccess.INGEST, KafkaAccess.EXTERNAL_PUBLISHER)) {
            try (KafkaProducer<String, String> producer = producerOf(principal)) {
                assertEquals(Topics.FEATURES_RAW, producer.send(new ProducerRecord<>(Topics.FEATURES_RAW, principal, "raw"))
                        .get(30, TimeUnit.SECONDS).topic());
                assertInstanceOf(TopicAuthorizationException.class, sendFails(producer, Topics.TRAINING_EVENTS));
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(String principal, String group) {
        Map<String, Object> config = new HashMap<>(broker.auth().clientProperties(principal, PASSWORDS.get(principal)));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    @Test
    void normalizationReadsRawSamplesInItsOwnGroupOnly() throws Exception {
        try (KafkaProducer<String, String> producer = producerOf(KafkaAccess.INGEST)) {
            producer.send(new ProducerRecord<>(Topics.FEATURES_RAW, "to-normalize", "raw")).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = consumer(KafkaAccess.NORMALIZATION, KafkaAccess.NORMALIZATION_GROUP)) {
            consumer.subscribe(List.of(Topics.FEATURES_RAW));
            boolean found = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!found && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                for (var record : records) {
                    found |= record.key().equals("to-normalize");
                }
            }
            assertTrue(found, "normalization did not read the raw sample in group " + KafkaAccess.NORMALIZATION_GROUP);
            consumer.commitSync(Duration.ofSeconds(30));
        }
        try (KafkaConsumer<String, String> consumer = consumer(KafkaAccess.NORMALIZATION, "someone-elses-group")) {
            consumer.subscribe(List.of(Topics.FEATURES_RAW));
            assertThrows(GroupAuthorizationException.class, () -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500));
                }
            });
        }
        // The trainer reads normalized features, never raw ones (assigned, without a group, as feature-stream reads).
        try (KafkaConsumer<String, String> consumer = consumer(KafkaAccess.TRAINER, null)) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(Topics.FEATURES_RAW, 0)));
            assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
        // The evaluator reads dev and test, never the train split.
        try (KafkaConsumer<String, String> consumer = consumer(KafkaAccess.EVALUATOR, null)) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(Topics.FEATURES_NORMALIZED_TRAIN, 0)));
            assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
    }

    /**
     * The ingest service's import jobs: it writes them and reads the whole topic back as its imports-in channel does
     * (the partition assigned and read from the beginning, nothing committed; Quarkus still configures a group.id, the
     * application name, for which there is no grant), and no other principal reads or writes them.
     */
    @Test
    void ingestWritesAndReadsItsImportJobsWithoutAGroupGrant() throws Exception {
        long written;
        try (KafkaProducer<String, String> producer = producerOf(KafkaAccess.INGEST)) {
            written = producer.send(new ProducerRecord<>(Topics.INGEST_IMPORTS, "import/acl-check", "{}"))
                    .get(30, TimeUnit.SECONDS).offset();
        }
        Map<String, Object> config = new HashMap<>(broker.auth().clientProperties(KafkaAccess.INGEST,
                PASSWORDS.get(KafkaAccess.INGEST)));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaAccess.INGEST);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        org.apache.kafka.common.TopicPartition partition = new org.apache.kafka.common.TopicPartition(
                Topics.INGEST_IMPORTS, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            boolean found = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!found && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    found |= record.offset() == written && record.key().equals("import/acl-check");
                }
            }
            assertTrue(found, "ingest did not read back its import job at offset " + written);
        }
        for (String principal : List.of(KafkaAccess.EXTERNAL_PUBLISHER, KafkaAccess.NORMALIZATION, KafkaAccess.TRAINER,
                KafkaAccess.EVALUATOR)) {
            try (KafkaProducer<String, String> producer = producerOf(principal)) {
                assertInstanceOf(TopicAuthorizationException.class, sendFails(producer, Topics.INGEST_IMPORTS), principal);
            }
            try (KafkaConsumer<String, String> consumer = consumer(principal, null)) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)), principal);
            }
        }
    }

    @Test
    void aWrongPasswordOrNoAuthenticationAtAllGetsNowhere() {
        try (KafkaProducer<String, String> producer = producer(
                broker.auth().clientProperties(KafkaAccess.NORMALIZATION, "not-the-password"))) {
            assertInstanceOf(SaslAuthenticationException.class, sendFails(producer, Topics.FEATURES_NORMALIZED));
        }
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            // PLAINTEXT against a SASL listener: the handshake never completes, so metadata never arrives
            Throwable cause = sendFails(producer, Topics.FEATURES_NORMALIZED);
            assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, cause, String.valueOf(cause));
        }
    }

    @Test
    void theSuperUsersPasswordIsReadableByTheUserOnly() throws Exception {
        Path config = broker.directory().resolve("server.properties");
        assertTrue(Files.readString(config, StandardCharsets.UTF_8).contains("StandardAuthorizer"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
    }
}
