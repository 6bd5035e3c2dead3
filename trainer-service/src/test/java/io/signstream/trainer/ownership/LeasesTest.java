package io.signstream.trainer.ownership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.signstream.localstack.LocalStack;
import io.signstream.trainer.domain.RunGuard;

/** Claims, renewals, fencing and release of run leases on the real S3Proxy of the local stack. */
class LeasesTest {

    private final LeaseStore store = new LeaseStore(LocalStack.shared().objectStore().client(),
            LocalStack.DEFAULT_BUCKET);

    private Leases trainer(String owner, Duration lease) {
        return new Leases(store, owner, lease, Duration.ofMillis(100));
    }

    private static String newRunId() {
        return "lease-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void oneOwnerAtATimeAndAStaleOwnerIsFencedOnceASuccessorClaimed() throws Exception {
        String runId = newRunId();
        Leases first = trainer("trainer-a-1", Duration.ofMillis(1500));
        Leases second = trainer("trainer-b-2", Duration.ofMillis(1500));

        RunOwnership owned = first.claim(runId).orElseThrow();
        assertEquals(1, owned.generation());
        assertEquals("trainer-a-1", owned.writer().owner());
        owned.check("runs/" + runId + "/run.json");
        assertTrue(second.claim(runId).isEmpty(), "a live lease cannot be claimed");

        owned.renew();
        assertTrue(second.claim(runId).isEmpty(), "a renewed lease cannot be claimed");

        Thread.sleep(1700); // the first owner is "paused" past its lease
        RunOwnership successor = second.claim(runId).orElseThrow();
        assertEquals(2, successor.generation());

        RunGuard.OwnershipLostException refused = assertThrows(RunGuard.OwnershipLostException.class,
                () -> owned.check("runs/" + runId + "/epoch-0003/parameters.bin"));
        assertTrue(refused.getMessage().contains("trainer-b-2 generation 2"), refused.getMessage());
        assertThrows(RunGuard.OwnershipLostException.class, owned::renew, "a stale owner cannot renew either");
        successor.check("runs/" + runId + "/run.json");
        owned.release(); // not its lease any more: nothing changes
        assertEquals("trainer-b-2", first.current(runId).orElseThrow().owner());
        assertFalse(first.claimable(runId));
    }

    @Test
    void aReleasedLeaseIsClaimableAtOnceWithTheNextGeneration() {
        String runId = newRunId();
        Leases first = trainer("trainer-a-1", Duration.ofMinutes(5));
        Leases second = trainer("trainer-b-2", Duration.ofMinutes(5));
        RunOwnership owned = first.claim(runId).orElseThrow();
        assertFalse(second.claimable(runId));

        owned.release();
        assertTrue(second.claimable(runId), "a drained trainer's run is taken over without waiting for expiry");
        RunOwnership successor = second.claim(runId).orElseThrow();
        assertEquals(2, successor.generation());
        assertThrows(RunGuard.OwnershipLostException.class, () -> owned.check("runs/" + runId + "/run.json"));
    }
}
