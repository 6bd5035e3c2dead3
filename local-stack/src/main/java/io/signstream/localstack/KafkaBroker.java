package io.signstream.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one process),
 * run from the org.apache.kafka:kafka_2.13 jars of Maven Central. Without authentication by default; with
 * {@link KafkaAuth#scram()} it authenticates every client (SASL) and enforces ACLs ({@link #applyAccess}).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaBroker.class);
    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";

    private final Path directory;
    private final int port;
    private final ChildProcess process;
    private final KafkaAuth auth;

    private KafkaBroker(Path directory, int port, ChildProcess process, KafkaAuth auth) {
        this.directory = directory;
        this.port = port;
        this.process = process;
        this.auth = auth;
    }

    /**
     * Formats the storage under {@code directory} if it is new, starts the broker on {@code port}
     * and waits until it answers. Data in an existing directory is kept (the local stack restarts on it).
     */
    public static KafkaBroker start(Path directory, int port, Duration timeout) {
        return start(directory, port, timeout, KafkaAuth.NONE);
    }

    /** The same with the given authentication; a directory may switch between the two from one start to the next. */
    public static KafkaBroker start(Path directory, int port, Duration timeout, KafkaAuth auth) {
        int controllerPort = FreePorts.pick();
        String classpath = ChildProcess.classpathResource(CLASSPATH_RESOURCE);
        Path config = writeConfig(directory, port, controllerPort, auth);
        Path dataDir = directory.resolve("data");
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            ChildProcess.runJava("kafka-storage format", classpath, "kafka.tools.StorageTool",
                    List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"),
                    directory.resolve("format.log"), 120);
        }
        // slf4j-simple (on the broker's classpath) writes to stderr, i.e. broker.log: warnings, errors and the
        // server's start line, so a broker that exits during its start says why.
        List<String> jvmArgs = List.of("-Xms256m", "-Xmx768m", "-XX:+UseG1GC",
                "-Dlog4j2.configurationFile=" + writeLogConfig(directory),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dkafka.logs.dir=" + directory.resolve("logs"));
        ChildProcess process = ChildProcess.startJava("kafka broker", classpath, jvmArgs, "kafka.Kafka",
                List.of(config.toString()), directory.resolve("broker.log"));
        KafkaBroker broker = new KafkaBroker(directory, port, process, auth);
        try {
            broker.awaitReady(timeout);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.infof("Kafka broker (KRaft) ready on %s (%s), pid %d, data in %s", broker.bootstrapServers(),
                auth.enabled() ? "SASL, ACLs" : "no authentication", process.pid(), dataDir);
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

    public KafkaAuth auth() {
        return auth;
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void ensureTopics(List<TopicLayout.TopicSpec> topics) {
        ensureTopics(bootstrapServers(), topics, auth.superUserClientProperties());
    }

    /** The same on any cluster, e.g. an external one the launcher was pointed at. */
    public static void ensureTopics(String bootstrapServers, List<TopicLayout.TopicSpec> topics) {
        ensureTopics(bootstrapServers, topics, Map.of());
    }

    private static void ensureTopics(String bootstrapServers, List<TopicLayout.TopicSpec> topics,
            Map<String, Object> security) {
        try (Admin admin = admin(bootstrapServers, security)) {
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

    /** An admin client; on a SASL broker it is the super user's. */
    public Admin admin() {
        return admin(bootstrapServers(), auth.superUserClientProperties());
    }

    static Admin admin(String bootstrapServers) {
        return admin(bootstrapServers, Map.of());
    }

    private static Admin admin(String bootstrapServers, Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(config);
    }

    /**
     * Creates (or updates) each principal's SCRAM-SHA-512 credential with the password {@code passwords} gives it and
     * adds its ACLs. Only on a broker started with {@link KafkaAuth#scram()}.
     */
    public void applyAccess(List<KafkaAccess.Principal> principals, Map<String, String> passwords) {
        if (!auth.enabled()) {
            throw new IllegalStateException("the broker runs without authentication: there is nobody to grant anything");
        }
        List<UserScramCredentialUpsertion> credentials = new ArrayList<>();
        List<org.apache.kafka.common.acl.AclBinding> bindings = new ArrayList<>();
        for (KafkaAccess.Principal principal : principals) {
            String password = passwords.get(principal.name());
            if (password == null) {
                throw new IllegalArgumentException("no password for Kafka principal " + principal.name());
            }
            credentials.add(new UserScramCredentialUpsertion(principal.name(),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password));
            bindings.addAll(principal.bindings());
        }
        // Generous timeouts: both go through the controller, and a busy test machine has been seen to need more than 30 s.
        Map<String, Object> config = new HashMap<>(auth.superUserClientProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 120_000);
        try (Admin admin = Admin.create(config)) {
            admin.alterUserScramCredentials(List.copyOf(credentials)).all().get(120, TimeUnit.SECONDS);
            admin.createAcls(bindings).all().get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot apply the Kafka principals: " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("cannot apply the Kafka principals on " + bootstrapServers(), e);
        }
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

    private static Path writeConfig(Path directory, int port, int controllerPort, KafkaAuth auth) {
        Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", "1");
        config.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.setProperty("controller.listener.names", "CONTROLLER");
        if (auth.enabled()) {
            authenticatedListeners(config, port, controllerPort, auth);
        } else {
            config.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            config.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            config.setProperty("inter.broker.listener.name", "PLAINTEXT");
            config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        }
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
            // It may hold the super user's password: readable by the user only, before anything is written.
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                config.store(out, "written by signstream local-stack");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every listener authenticates (SASL_PLAINTEXT: local, so no TLS): clients with SCRAM-SHA-512, the super user (the
     * broker itself towards its listener and its controller, the admin harness) with PLAIN, whose only account is the
     * super user's, defined here. StandardAuthorizer (KRaft's) denies whatever no ACL allows.
     */
    private static void authenticatedListeners(Properties config, int port, int controllerPort, KafkaAuth auth) {
        String plainServer = KafkaAuth.jaas("org.apache.kafka.common.security.plain.PlainLoginModule", auth.superUser(),
                auth.superUserPassword()).replace(";", " user_" + auth.superUser() + "=\"" + auth.superUserPassword() + "\";");
        config.setProperty("listeners", "SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.setProperty("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
        config.setProperty("inter.broker.listener.name", "SASL_PLAINTEXT");
        config.setProperty("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        config.setProperty("sasl.enabled.mechanisms", KafkaAuth.SUPER_USER_MECHANISM + "," + KafkaAuth.SCRAM_MECHANISM);
        config.setProperty("sasl.mechanism.inter.broker.protocol", KafkaAuth.SUPER_USER_MECHANISM);
        config.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config", plainServer);
        config.setProperty("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        // SCRAM credentials live in the metadata the controller serves: the controller listener cannot use them.
        config.setProperty("listener.name.controller.sasl.enabled.mechanisms", KafkaAuth.SUPER_USER_MECHANISM);
        config.setProperty("sasl.mechanism.controller.protocol", KafkaAuth.SUPER_USER_MECHANISM);
        config.setProperty("listener.name.controller.plain.sasl.jaas.config", plainServer);
        config.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.setProperty("super.users", "User:" + auth.superUser());
        config.setProperty("allow.everyone.if.no.acl.found", "false");
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
