package io.signstream.trainer.api;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.minio.MinioClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.checkpoint.s3.ObjectStoreConfig;
import io.signstream.checkpoint.s3.ObjectStoreProbe;
import io.signstream.featurestream.FeatureStreamConfig;
import io.signstream.teacher.TeacherSession;
import io.signstream.trainer.domain.RunManager;
import io.signstream.trainer.domain.TrainingRun;
import io.signstream.trainer.messaging.EpochReader;
import io.signstream.trainer.messaging.TrainingEventPublisher;
import io.signstream.trainer.storage.ObjectStoreClientsBean;
import io.signstream.trainer.storage.RunRepository;
import io.signstream.trainer.storage.TrainingCheckpoints;

/** Builds the trainer's parts from configuration, and resumes an interrupted run at startup. */
@ApplicationScoped
public class TrainerBeans {

    private static final Logger LOG = Logger.getLogger(TrainerBeans.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "signstream.topics.normalized")
    String normalizedTopic;
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
        return new FeatureStreamConfig(bootstrapServers, normalizedTopic, maxFrames, 16, stallTimeout, Map.of());
    }

    @Produces
    @Singleton
    RunManager runManager(ObjectStoreClientsBean clients, ObjectStoreConfig config, TrainingEventPublisher events,
            FeatureStreamConfig stream) {
        MinioClient client = clients.run();
        TrainingRun.Environment env = new TrainingRun.Environment(stream,
                new TrainingCheckpoints(new CheckpointStore(client, bucket)), new RunRepository(client, bucket), events,
                new EpochReader.Settings(shuffleBuffer, bucketBatches, prefetchBatches), logEverySteps,
                TeacherSession::create);
        return new RunManager(env, new RunRepository(clients.requests(), bucket), config.retry().pendingInterval());
    }

    void onStart(@Observes StartupEvent event, RunManager runs) {
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
        runs.shutdown();
    }
}
