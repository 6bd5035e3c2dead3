package io.signstream.ingest.domain;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.signstream.ingest.messaging.ImportStatePublisher;

/**
 * This ingest instance among the replicas: an id new on every start (a restarted pod is a new instance), a heartbeat
 * on {@code ingest.imports} every interval, and the writing of INTERRUPTED for the jobs of instances whose heartbeat
 * stopped. Any replica may write it: it is the same record whoever writes it, so no single writer is needed.
 */
@ApplicationScoped
public class IngestInstance {

    private static final Logger LOG = Logger.getLogger(IngestInstance.class);

    @Inject
    ImportStatePublisher publisher;
    @Inject
    ImportStates states;

    @ConfigProperty(name = "signstream.ingest.instance.heartbeat-interval", defaultValue = "5s")
    Duration heartbeatInterval;

    private final String id = "ingest-" + UUID.randomUUID().toString().substring(0, 8);
    private ScheduledExecutorService scheduler;

    public String id() {
        return id;
    }

    void onStart(@Observes StartupEvent event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ingest-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::beat, 0, heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("ingest instance %s: heartbeat every %s on ingest.imports", id, heartbeatInterval);
    }

    /** Stops the heartbeat and deletes it, so the other replicas see at once that this instance is gone. */
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        publisher.retire(id, Duration.ofSeconds(5));
    }

    private void beat() {
        try {
            publisher.heartbeat(id);
            for (ImportJob.View interrupted : states.interruptedNotYetWritten()) {
                if (id.equals(interrupted.owner())) {
                    continue; // this instance's own jobs are live here, whatever its heartbeats' lag says
                }
                LOG.warnf("import %s: %s", interrupted.id(), interrupted.failure());
                publisher.publish(interrupted);
            }
        } catch (RuntimeException e) {
            LOG.warnf("heartbeat of %s: %s", id, e.getMessage());
        }
    }
}
