package io.signstream.trainer.ownership;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.signstream.checkpoint.CheckpointManifest;
import io.signstream.trainer.domain.RunGuard;

/**
 * This process's ownership of one run: a lease generation it claimed. Every write of the run is checked against the
 * lease in the bucket first ({@link #check}): once another trainer claimed the run (a higher generation, after this
 * one's lease expired while it was paused, partitioned or slow), the write is refused and the run given up.
 */
public final class RunOwnership implements RunGuard {

    private static final Logger LOG = Logger.getLogger(RunOwnership.class);

    private final LeaseStore leases;
    private final String runId;
    private final String owner;
    private final long generation;
    private final Duration duration;
    private volatile LeaseStore.Read current;
    private volatile String lost;

    RunOwnership(LeaseStore leases, LeaseStore.Read claimed, Duration duration) {
        this.leases = leases;
        this.runId = claimed.lease().runId();
        this.owner = claimed.lease().owner();
        this.generation = claimed.lease().generation();
        this.duration = duration;
        this.current = claimed;
    }

    public String runId() {
        return runId;
    }

    public long generation() {
        return generation;
    }

    @Override
    public CheckpointManifest.Writer writer() {
        return new CheckpointManifest.Writer(owner, generation);
    }

    /** Why this process lost the run, null while it holds it. */
    public String lost() {
        return lost;
    }

    @Override
    public void check(String object) {
        if (lost != null) {
            throw new OwnershipLostException(lost);
        }
        RunLease lease = leases.read(runId).map(LeaseStore.Read::lease).orElse(null);
        if (lease == null || !lease.heldBy(owner, generation)) {
            lost = "not writing " + object + ": run " + runId + " is no longer owned by " + owner + " generation "
                    + generation + " (lease now: " + (lease == null ? "none" : lease.owner() + " generation "
                    + lease.generation() + (lease.released() ? ", released" : "")) + ")";
            throw new OwnershipLostException(lost);
        }
    }

    /**
     * Extends the lease by its duration, if this process still holds it.
     *
     * @throws OwnershipLostException when another trainer holds it now
     */
    public void renew() {
        if (lost != null) {
            throw new OwnershipLostException(lost);
        }
        LeaseStore.Read read = leases.read(runId).orElse(null);
        if (read == null || !read.lease().heldBy(owner, generation)) {
            check("lease.json");
        }
        long now = System.currentTimeMillis();
        try {
            leases.write(new RunLease(runId, owner, generation, now + duration.toMillis(), now, false), read);
            current = read;
        } catch (LeaseStore.ConflictException e) {
            lost = "renewing the lease of run " + runId + " failed: " + e.getMessage();
            throw new OwnershipLostException(lost);
        }
    }

    /** Gives the run back (ended, or the pod drains): another trainer may claim it at once. */
    public void release() {
        try {
            LeaseStore.Read read = leases.read(runId).orElse(null);
            if (read == null || !read.lease().heldBy(owner, generation)) {
                return;
            }
            long now = System.currentTimeMillis();
            leases.write(new RunLease(runId, owner, generation, now, now, true), read);
        } catch (RuntimeException e) {
            // it expires on its own
            LOG.warnf("run %s: could not release the lease (%s); it expires within %s", runId, e.getMessage(),
                    duration);
        }
    }
}
