package io.signstream.trainer.ownership;

import java.time.Duration;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * Claims runs for this trainer process: a run is claimable when it has no lease, or its lease expired or was
 * released; the claim writes generation + 1 under this process's owner id (conditionally, see {@link LeaseStore}),
 * waits {@link LeaseConfig#claimSettle()} and reads the lease back: only a claim still there is ownership.
 */
public final class Leases {

    private static final Logger LOG = Logger.getLogger(Leases.class);

    private final LeaseStore store;
    private final String owner;
    private final Duration duration;
    private final Duration settle;

    public Leases(LeaseStore store, String owner, Duration duration, Duration settle) {
        this.store = store;
        this.owner = owner;
        this.duration = duration;
        this.settle = settle;
    }

    public String owner() {
        return owner;
    }

    public LeaseStore store() {
        return store;
    }

    /** The lease of a run as it is in the bucket now. */
    public Optional<RunLease> current(String runId) {
        return store.read(runId).map(LeaseStore.Read::lease);
    }

    /** Whether another trainer may claim the run now (no lease, expired or released). */
    public boolean claimable(String runId) {
        return current(runId).map(lease -> lease.claimable(System.currentTimeMillis())).orElse(true);
    }

    /** Claims the run if it is claimable; empty when another trainer holds it or won the race. */
    public Optional<RunOwnership> claim(String runId) {
        Optional<LeaseStore.Read> before = store.read(runId);
        long now = System.currentTimeMillis();
        if (before.isPresent() && !before.get().lease().claimable(now)) {
            return Optional.empty();
        }
        long generation = before.map(read -> read.lease().generation() + 1).orElse(1L);
        RunLease claim = new RunLease(runId, owner, generation, now + duration.toMillis(), now, false);
        try {
            store.write(claim, before.orElse(null));
        } catch (LeaseStore.ConflictException e) {
            LOG.infof("run %s: another trainer claimed it first (%s)", runId, e.getMessage());
            return Optional.empty();
        }
        try {
            Thread.sleep(settle.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        Optional<LeaseStore.Read> after = store.read(runId);
        if (after.isEmpty() || !after.get().lease().heldBy(owner, generation)) {
            LOG.infof("run %s: claim of generation %d lost the race to %s", runId, generation,
                    after.map(read -> read.lease().owner() + " generation " + read.lease().generation()).orElse("none"));
            return Optional.empty();
        }
        LOG.infof("run %s: owned by %s, generation %d%s", runId, owner, generation, before.map(read -> " (after "
                + read.lease().owner() + " generation " + read.lease().generation()
                + (read.lease().released() ? ", released" : ", expired") + ")").orElse(""));
        return Optional.of(new RunOwnership(store, after.get(), duration));
    }
}
