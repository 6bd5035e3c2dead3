package io.signstream.trainer.ownership;

/**
 * {@code runs/{runId}/lease.json}: which trainer process owns a run, under which generation, until when.
 *
 * @param owner the owner id of the trainer process ({@code signstream.trainer.lease.owner-id}: pod name and pid)
 * @param generation grows by one at every claim; every checkpoint manifest and run.json names it
 * @param expiresAtEpochMs the owner renews it before then; after it, another trainer may claim the run
 * @param released the owner gave the run back (drained, run ended): claimable at once
 */
public record RunLease(String runId, String owner, long generation, long expiresAtEpochMs, long renewedAtEpochMs,
        boolean released) {

    /** Another trainer may claim the run now. */
    public boolean claimable(long nowEpochMs) {
        return released || nowEpochMs >= expiresAtEpochMs;
    }

    public boolean heldBy(String ownerId, long ownerGeneration) {
        return owner.equals(ownerId) && generation == ownerGeneration && !released;
    }
}
