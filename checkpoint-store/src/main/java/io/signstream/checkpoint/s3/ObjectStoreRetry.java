package io.signstream.checkpoint.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Retries every object-store request (an OkHttp application interceptor inside the MinIO client) while the failure is
 * transient: no connection, a reset or timed-out one, or a 5xx answer (except 501). Other answers (403, 404, any 4xx)
 * return at once, as do integrity errors, which the stores find after the bytes arrived. Waits grow exponentially
 * (with jitter) from {@code initialBackoff} to {@code maxBackoff}; when {@code deadline} has passed since the first
 * attempt the last failure is handed on, so a caller never waits much longer than the deadline. Every S3 request is
 * idempotent (PUT, GET, HEAD, DELETE, list), and the MinIO client's request bodies are replayable, so a retried
 * request is the same request.
 *
 * <p>Plain code rather than SmallRye Fault Tolerance: the quarkus-smallrye-fault-tolerance extension is not in the
 * offline Maven repository the project builds from, and the checkpoint store is a plain library shared by the
 * trainer and the evaluator. Retrying per HTTP request also keeps the manifest-last order of a checkpoint write:
 * each object is retried in place, never the write as a whole.
 */
public final class ObjectStoreRetry implements Interceptor {

    /**
     * @param deadline how long one request is retried before it fails; zero: a single attempt
     */
    public record Policy(Duration deadline, Duration initialBackoff, Duration maxBackoff) {
        public Policy {
            if (deadline.isNegative() || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("object-store retry: need deadline >= 0, 0 <= initial backoff <= "
                        + "max backoff, not " + deadline + ", " + initialBackoff + ", " + maxBackoff);
            }
        }

        public static Policy singleAttempt() {
            return new Policy(Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
    }

    /** A request that kept failing transiently until the deadline: the store is unreachable. */
    public static final class UnavailableException extends IOException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final System.Logger LOG = System.getLogger(ObjectStoreRetry.class.getName());

    private final String name;
    private final Policy policy;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong exhausted = new AtomicLong();
    private final AtomicReference<Instant> failingSince = new AtomicReference<>();

    public ObjectStoreRetry(String name, Policy policy) {
        this.name = name;
        this.policy = policy;
    }

    public Policy policy() {
        return policy;
    }

    /** Attempts repeated after a transient failure, since start. */
    public long retries() {
        return retries.get();
    }

    /** Requests that failed because the deadline passed, since start. */
    public long exhausted() {
        return exhausted.get();
    }

    /** When requests started failing transiently, null while the last request got an answer. */
    public Instant failingSince() {
        return failingSince.get();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        long start = System.nanoTime();
        long deadline = start + policy.deadline().toNanos();
        long backoff = Math.max(1, policy.initialBackoff().toMillis());
        int attempt = 0;
        while (true) {
            attempt++;
            String failure;
            IOException error = null;
            Response response = null;
            try {
                response = chain.proceed(request);
            } catch (InterruptedIOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                error = e; // a socket timeout
            } catch (IOException e) {
                if ("Canceled".equals(e.getMessage())) {
                    throw e;
                }
                error = e;
            }
            if (response != null) {
                if (!retryable(response.code())) {
                    failingSince.set(null);
                    return response;
                }
                failure = "HTTP " + response.code();
            } else {
                failure = error.toString();
            }
            failingSince.compareAndSet(null, Instant.now());
            long now = System.nanoTime();
            long wait = Math.min(backoff, policy.maxBackoff().toMillis());
            wait = wait / 2 + (long) (Math.random() * (wait / 2 + 1));
            if (now + wait * 1_000_000 > deadline) {
                exhausted.incrementAndGet();
                if (response != null && attempt > 1) {
                    LOG.log(System.Logger.Level.WARNING, "object store ({0}): {1} {2} still failed after {3} attempts"
                            + " in {4} ms: {5}", name, request.method(), request.url().encodedPath(), attempt,
                            (now - start) / 1_000_000, failure);
                }
                if (response != null) {
                    return response; // the client turns the 5xx into its own error
                }
                throw new UnavailableException("object store unreachable: " + request.method() + " "
                        + request.url().encodedPath() + " failed " + attempt + " time(s) in "
                        + (now - start) / 1_000_000 + " ms (deadline " + policy.deadline() + "): " + failure, error);
            }
            if (response != null) {
                response.close();
            }
            if (attempt == 1 || attempt % 10 == 0) {
                LOG.log(System.Logger.Level.WARNING, "object store ({0}): {1} {2} failed ({3}); retrying for up to {4}",
                        name, request.method(), request.url().encodedPath(), failure, policy.deadline());
            }
            retries.incrementAndGet();
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting to retry "
                        + request.method() + " " + request.url().encodedPath());
                interrupted.initCause(error);
                throw interrupted;
            }
            backoff = Math.min(backoff * 2, Math.max(1, policy.maxBackoff().toMillis()));
        }
    }

    /** 5xx other than 501 Not Implemented: the server (or a proxy before it) is failing, not the request. */
    static boolean retryable(int status) {
        return status >= 500 && status != 501;
    }
}
