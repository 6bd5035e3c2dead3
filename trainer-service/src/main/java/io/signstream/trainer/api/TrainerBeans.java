package io.signstream.trainer.api;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.minio.MinioClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.checkpoint.s3.ObjectStoreConfig;
import io.signstream.checkpoint.s3.ObjectStoreProbe;
import io.signstream.contract.proto.Split;
import io.signstream.featurestream.FeatureStreamConfig;
import io.signstream.featurestream.SplitCache;
import io.signstream.featurestream.SplitTopics;
import io.signstream.teacher.TeacherSession;
import io.signstream.trainer.domain.RunManager;
import io.signstream.trainer.domain.TrainingRun;
import io.signstream.trainer.messaging.EpochReader;
import io.signstream.trainer.messaging.TrainingEventPublisher;
import io.signstream.trainer.ownership.LeaseConfig;
import io.signstream.trainer.ownership.LeaseStore;
import io.signstream.trainer.ownership.Leases;
import io.signstream.trainer.queue.RunQueue;
import io.signstream.trainer.queue.RunQueueConfig;
import io.signstream.trainer.queue.RunRequestPublisher;
import io.signstream.trainer.storage.ObjectStoreClientsBean;
import io.signstream.trainer.storage.RunRepository;
import io.signstream.trainer.storage.TrainingCheckpoints;

/**
 * Builds the trainer's parts from configuration; at startup joins the run queue (or, without it, resumes an
 * interrupted run), and at shutdown gives its run back.
 */
@ApplicationScoped
public class TrainerBeans {

    private static final Logger LOG = Logger.getLogger(TrainerBeans.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    /** The trainer reads the train split only (its Kafka user may read nothing else). */
    @ConfigProperty(name = "signstream.topics.normalized-train")
    String normalizedTrainTopic;
    /** The all-splits topic of the layout before split topics, still read (README, "Migration"); none: {@value SplitTopics#NONE}. */
    @ConfigProperty(name = "signstream.topics.normalized-legacy")
    String normalizedLegacyTopic;
    @ConfigProperty(name = "signstream.object-store.bucket")
    String bucket;
    @ConfigProperty(name = "signstream.validation.max-frames")
    int maxFrames;
    @ConfigProperty(name = "signstream.trainer.resume-on-start")
    boolean resumeOnStart;
    @ConfigProperty(name = "signstream.trainer.log-every-steps")
    int logEverySteps;
    @ConfigProperty(name = "signstream.trainer.shuffle-buffer")
    int shuffleBuffer;
    @ConfigProperty(name = "signstream.trainer.bucket-batches")
    int bucketBatches;
    @ConfigProperty(name = "signstream.trainer.prefetch-batches")
    int prefetchBatches;
    @ConfigProperty(name = "signstream.trainer.stall-timeout")
    Duration stallTimeout;
    @ConfigProperty(name = "signstream.trainer.epoch-cache.directory")
    java.nio.file.Path epochCacheDirectory;
    @ConfigProperty(name = "signstream.trainer.epoch-cache.max-size")
    MemorySize epochCacheMaxSize;
    /** Every kafka.* setting (and KAFKA_* variable): feature-stream connects with the channels' security settings. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaSettings;

    private RunQueue runQueue;

    @Produces
    @Singleton
    ObjectStoreClientsBean objectStoreClients(ObjectStoreConfig config) {
        return new ObjectStoreClientsBean(config);
    }

    /** What the shared readiness check (checkpoint-store's ObjectStoreReadiness) asks. */
    @Produces
    @Singleton
    ObjectStoreProbe objectStoreProbe(ObjectStoreClientsBean clients) {
        return clients.probe();
    }

    /** The run's client: requests retried up to {@code signstream.object-store.retry.deadline}. */
    @Produces
    @Singleton
    MinioClient minioClient(ObjectStoreClientsBean clients) {
        return clients.run();
    }

    @Produces
    @Singleton
    FeatureStreamConfig featureStreamConfig() {
        SplitTopics topics = SplitTopics.none().with(Split.TRAIN, normalizedTrainTopic).withLegacy(normalizedLegacyTopic);
        return new FeatureStreamConfig(bootstrapServers, topics, maxFrames, 16, stallTimeout,
                FeatureStreamConfig.connectionSettings(kafkaSettings));
    }

    @Produces
    @Singleton
    RunManager runManager(ObjectStoreClientsBean clients, ObjectStoreConfig config, TrainingEventPublisher events,
            FeatureStreamConfig stream, RunQueueConfig queueConfig, LeaseConfig leaseConfig,
            RunRequestPublisher requests) {
        MinioClient client = clients.run();
        TrainingRun.Environment env = new TrainingRun.Environment(stream,
                new TrainingCheckpoints(new CheckpointStore(client, bucket)), new RunRepository(client, bucket), events,
                new EpochReader.Settings(shuffleBuffer, bucketBatches, prefetchBatches,
                        new SplitCache.Settings(epochCacheDirectory, epochCacheMaxSize.asLongValue())), logEverySteps,
                TeacherSession::create);
        RunManager.Queue queue = null;
        if (queueConfig.enabled()) {
            // leases are read and written with the run's client: a short outage delays a renewal, not the run
            Leases leases = new Leases(new LeaseStore(client, bucket), ownerId(leaseConfig), leaseConfig.duration(),
                    leaseConfig.claimSettle());
            queue = new RunManager.Queue(leases, requests, leaseConfig.renewEvery());
            LOG.infof("trainer %s takes runs from %s (group %s); lease %s, renewed every %s", leases.owner(),
                    queueConfig.topic(), queueConfig.group(), leaseConfig.duration(), leaseConfig.renewEvery());
        }
        return new RunManager(env, new RunRepository(clients.requests(), bucket), config.retry().pendingInterval(),
                queue);
    }

    /** The pod's name on Kubernetes (its host name) and the pid: unique per process, readable in manifests. */
    static String ownerId(LeaseConfig config) {
        return config.ownerId().orElseGet(() -> {
            String host = System.getenv("HOSTNAME");
            if (host == null || host.isBlank()) {
                try {
                    host = java.net.InetAddress.getLocalHost().getHostName();
                } catch (java.io.IOException e) {
                    host = "trainer";
                }
            }
            return host + "-" + ProcessHandle.current().pid();
        });
    }

    void onStart(@Observes StartupEvent event, RunManager runs, RunQueueConfig queueConfig) {
        if (runs.queued()) {
            runQueue = new RunQueue(bootstrapServers, FeatureStreamConfig.connectionSettings(kafkaSettings), queueConfig, runs, "trainer-run-queue").start();
            return;
        }
        if (!resumeOnStart) {
            return;
        }
        try {
            runs.resumeInterrupted().ifPresent(run -> LOG.infof("resumed run %s", run.runId()));
        } catch (RuntimeException e) {
            // the service stays up: runs can still be started and listed once the store answers
            LOG.errorf(e, "could not look for interrupted runs in bucket %s", bucket);
        }
    }

    void onStop(@Observes ShutdownEvent event, RunManager runs) {
        // the run first (halted, lease released), then the group: the request goes to a trainer that can claim it
        runs.shutdown();
        if (runQueue != null) {
            runQueue.close();
        }
    }
}
