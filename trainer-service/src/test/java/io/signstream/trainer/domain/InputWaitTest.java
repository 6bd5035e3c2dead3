package io.signstream.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InputWaitTest {

    private static final long MS = 1_000_000L;

    @Test
    void sharesAreWaitOverWaitPlusStepPerEpoch() {
        InputWait wait = new InputWait(3);
        assertEquals(0.0, wait.current().share());
        wait.step(300 * MS, 100 * MS);
        wait.step(100 * MS, 500 * MS);
        InputWait.Epoch third = wait.endEpoch(4);
        assertEquals(3, third.epoch());
        assertEquals(2, third.steps());
        assertEquals(0.4, third.waitSeconds(), 1e-9);
        assertEquals(0.6, third.stepSeconds(), 1e-9);
        assertEquals(0.4, third.share(), 1e-9);
        assertEquals(0.3, third.maxWaitSeconds(), 1e-9);
        assertEquals(0.1, third.lastWaitSeconds(), 1e-9);
        assertEquals(0.4, third.metrics().get("input_wait_share"), 1e-9);

        // the next epoch starts from zero; the closed one stays in the report
        wait.step(0, 200 * MS);
        InputWait.Report report = wait.report();
        assertEquals(4, report.current().epoch());
        assertEquals(0.0, report.current().share());
        assertEquals(java.util.List.of(third), report.epochs());
    }
}
