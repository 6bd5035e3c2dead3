package io.signstream.trainer.queue;

/** Where POST /runs and POST /runs/{id}/resume put a run for the trainers to take (the run queue). */
public interface RunRequests {

    /**
     * Returns once the broker acknowledged the request.
     *
     * @throws IllegalStateException when it did not
     */
    void publish(String runId);
}
