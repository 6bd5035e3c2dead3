package io.signstream.ingest.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The import jobs of every ingest instance as {@code ingest.imports} tells them (its listener feeds this), and the
 * instances' heartbeats. A job still QUEUED or RUNNING whose instance has no heartbeat within the lease is answered
 * as INTERRUPTED, with the counts and lists its instance last wrote; every replica reads the same topic, so every
 * replica answers the same.
 */
@ApplicationScoped
public class ImportStates {

    @ConfigProperty(name = "signstream.ingest.instance.lease", defaultValue = "30s")
    Duration lease;
    @ConfigProperty(name = "signstream.ingest.import.keep-finished", defaultValue = "100")
    int keepFinished;

    private final Map<String, ImportJob.View> views = new ConcurrentHashMap<>();
    private final Map<String, Instant> heartbeats = new ConcurrentHashMap<>();
    /** Before a lease has passed since this instance started reading, a missing heartbeat may just be unread yet. */
    private final Instant readingSince = Instant.now();

    /** A heartbeat of {@code instance} written at {@code at}; null: the instance stopped. */
    public void heartbeat(String instance, Instant at) {
        if (at == null) {
            heartbeats.remove(instance);
        } else {
            heartbeats.merge(instance, at, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    public void update(ImportJob.View view) {
        views.put(view.id(), view);
        List<ImportJob.View> finished = views.values().stream().filter(v -> v.status().isFinished())
                .sorted(Comparator.comparing(ImportJob.View::createdAt).reversed()).toList();
        finished.stream().skip(Math.max(0, keepFinished)).forEach(v -> views.remove(v.id()));
    }

    /** The job as the topic says, INTERRUPTED when its instance is dead. */
    public Optional<ImportJob.View> find(String id) {
        return Optional.ofNullable(views.get(id)).map(this::asNow);
    }

    public List<ImportJob.View> all() {
        return views.values().stream().map(this::asNow).toList();
    }

    /** Unfinished jobs of dead instances, as they should now be written: INTERRUPTED. */
    public List<ImportJob.View> interruptedNotYetWritten() {
        return views.values().stream().filter(v -> !v.status().isFinished()).map(this::asNow)
                .filter(v -> v.status() == ImportJob.Status.INTERRUPTED).toList();
    }

    private ImportJob.View asNow(ImportJob.View view) {
        if (view.status().isFinished() || !ownerDead(view.owner())) {
            return view;
        }
        Instant last = view.owner() == null ? null : heartbeats.get(view.owner());
        return view.interrupted("instance " + view.owner() + " stopped before the import finished (no heartbeat "
                + (last == null ? "" : "since " + last + " ") + "within " + lease + "); the counts are those it last "
                + "reported", Instant.now().toString());
    }

    private boolean ownerDead(String owner) {
        Instant now = Instant.now();
        if (Duration.between(readingSince, now).compareTo(lease) < 0) {
            return false;
        }
        Instant last = owner == null ? null : heartbeats.get(owner);
        return last == null || last.isBefore(now.minus(lease));
    }
}
