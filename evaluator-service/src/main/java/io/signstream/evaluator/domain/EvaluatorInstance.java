package io.signstream.evaluator.domain;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.signstream.evaluator.storage.InstanceHeartbeats;

/**
 * This evaluator instance's identity among the replicas and its heartbeat in the bucket. The id is new on every
 * start (host name plus a random suffix): a restarted pod is a new instance, and the jobs its previous life owned
 * are orphans like those of any dead instance.
 */
@ApplicationScoped
public class EvaluatorInstance {

    private static final Logger LOG = Logger.getLogger(EvaluatorInstance.class);

    @Inject
    InstanceHeartbeats heartbeats;

    @ConfigProperty(name = "signstream.evaluator.heartbeat-interval", defaultValue = "5s")
    Duration heartbeatInterval;

    /** An instance whose heartbeat is older than this is dead; its unfinished jobs are taken over. */
    @ConfigProperty(name = "signstream.evaluator.lease", defaultValue = "30s")
    Duration lease;

    private final String id = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private ScheduledExecutorService scheduler;
    private volatile java.util.concurrent.ScheduledFuture<?> beating;

    public String id() {
        return id;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public Duration lease() {
        return lease;
    }

    /** Writes the first heartbeat now (before this instance owns any job), then one every interval. */
    void start() {
        beat();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "evaluator-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long every = heartbeatInterval.toMillis();
        beating = scheduler.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("evaluator instance %s: heartbeat every %s, lease %s", id, heartbeatInterval, lease);
    }

    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        try {
            heartbeats.remove(id);
        } catch (RuntimeException e) {
            LOG.warnf("cannot remove the heartbeat of %s (its jobs are taken over after the lease): %s", id,
                    e.getMessage());
        }
    }

    /** The live instances, this one included (even while its own heartbeat cannot be written). */
    public Set<String> alive() {
        Set<String> alive = new java.util.HashSet<>(heartbeats.alive(lease));
        alive.add(id);
        return alive;
    }

    /**
     * False once the periodic heartbeat has ended without being stopped (a task that throws is not run again):
     * liveness. Before the start there is nothing to check yet.
     */
    public boolean beating() {
        java.util.concurrent.ScheduledFuture<?> task = beating;
        return task == null || !task.isDone() || scheduler.isShutdown();
    }

    private void beat() {
        try {
            heartbeats.beat(id);
        } catch (RuntimeException e) {
            // the bucket is away: readiness says so; the jobs stay in memory and are written when it answers
            LOG.warnf("heartbeat of %s not written: %s", id, e.getMessage());
        }
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "evaluator";
            }
        }
        String clean = host.replaceAll("[^A-Za-z0-9._-]", "-");
        return clean.length() > 60 ? clean.substring(0, 60) : clean;
    }
}
