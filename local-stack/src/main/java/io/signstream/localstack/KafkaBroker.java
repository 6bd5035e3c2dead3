package io.signstream.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one process),
 * run from the org.apache.kafka:kafka_2.13 jars of Maven Central.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaBroker.class);
    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";

    private final Path directory;
    private final int port;
    private final ChildProcess process;

    private KafkaBroker(Path directory, int port, ChildProcess process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
    }

    /**
     * Formats the storage under {@code directory} if it is new, starts the broker on {@code port}
     * and waits until it answers. Data in an existing directory is kept (the local stack restarts on it).
     */
    public static KafkaBroker start(Path directory, int port, Duration timeout) {
        int controllerPort = FreePorts.pick();
        String classpath = ChildProcess.classpathResource(CLASSPATH_RESOURCE);
        Path config = writeConfig(directory, port, controllerPort);
        Path dataDir = directory.resolve("data");
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            ChildProcess.runJava("kafka-storage format", classpath, "kafka.tools.StorageTool",
                    List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"),
                    directory.resolve("format.log"), 120);
        }
        List<String> jvmArgs = List.of("-Xms256m", "-Xmx768m", "-XX:+UseG1GC",
                "-Dlog4j2.configurationFile=" + writeLogConfig(directory),
                "-Dkafka.logs.dir=" + directory.resolve("logs"));
        ChildProcess process = ChildProcess.startJava("kafka broker", classpath, jvmArgs, "kafka.Kafka",
                List.of(config.toString()), directory.resolve("broker.log"));
        KafkaBroker broker = new KafkaBroker(directory, port, process);
        try {
            broker.awaitReady(timeout);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.infof("Kafka broker (KRaft) ready on %s, pid %d, data in %s", broker.bootstrapServers(),
                process.pid(), dataDir);
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path directory() {
        return directory;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void ensureTopics(List<TopicLayout.TopicSpec> topics) {
        ensureTopics(bootstrapServers(), topics);
    }

    /** The same on any cluster, e.g. an external one the launcher was pointed at. */
    public static void ensureTopics(String bootstrapServers, List<TopicLayout.TopicSpec> topics) {
        try (Admin admin = admin(bootstrapServers)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicLayout.TopicSpec spec : topics) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics on " + bootstrapServers, e);
        }
    }

    public Admin admin() {
        return admin(bootstrapServers());
    }

    static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }
    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            process.checkAlive();
            if (FreePorts.isListening(port)) {
                try (Admin admin = admin()) {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    LOG.debugf("broker not ready yet: %s", e.getMessage());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka broker not ready after " + timeout.toSeconds() + " s:\n"
                        + process.logTail());
            }
            sleep(250);
        }
    }

    private static Path writeConfig(Path directory, int port, int controllerPort) {
        Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", "1");
        config.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.setProperty("log.dirs", directory.resolve("data").toString());
        config.setProperty("num.partitions", "1");
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("offsets.topic.num.partitions", "4");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("share.coordinator.state.topic.replication.factor", "1");
        config.setProperty("share.coordinator.state.topic.min.isr", "1");
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        // Topics are created deliberately (TopicLayout), never by a typo in a client's config.
        config.setProperty("auto.create.topics.enable", "false");
        config.setProperty("message.max.bytes", String.valueOf(TopicLayout.MAX_MESSAGE_BYTES));
        config.setProperty("replica.fetch.max.bytes", String.valueOf(TopicLayout.MAX_MESSAGE_BYTES));
        config.setProperty("log.segment.bytes", String.valueOf(256 * 1024 * 1024));
        config.setProperty("num.network.threads", "2");
        config.setProperty("num.io.threads", "4");
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("server.properties");
            try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                config.store(out, "written by signstream local-stack");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeLogConfig(Path directory) {
        Path file = directory.resolve("log4j2.properties");
        String config = String.join("\n",
                "status = warn",
                "appender.console.type = Console",
                "appender.console.name = console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = [kafka] %d{HH:mm:ss.SSS} %-5p %c{1}: %m%n",
                "rootLogger.level = warn",
                "rootLogger.appenderRef.console.ref = console",
                "logger.server.name = kafka.server.KafkaRaftServer",
                "logger.server.level = info",
                "");
        try {
            Files.writeString(file, config, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
