package io.signstream.ingest.domain;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * Bounds the bytes of uploaded files being processed at once. An upload costs about five times its file in heap
 * while it is parsed, copied into the record and held by the producer until acknowledged, so twelve concurrent
 * 15.6 MB uploads once ended in OutOfMemoryError. Each upload holds permits for its file's size (counted in KiB);
 * one that finds no room within {@code wait} is refused with 503 and Retry-After, and the server stays healthy.
 * A single file larger than the whole budget is admitted alone (it holds the whole budget).
 */
@ApplicationScoped
public class UploadBudget {

    private static final long UNIT = 1024;

    private final int capacityUnits;
    private final long waitMillis;
    private final int retryAfterSeconds;
    private final Semaphore permits;
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final AtomicLong highWaterBytes = new AtomicLong();

    /** What an admitted upload holds; closing it gives its bytes back. */
    public final class Permit implements AutoCloseable {
        private final int units;
        private final long bytes;
        private boolean closed;

        private Permit(int units, long bytes) {
            this.units = units;
            this.bytes = bytes;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                inFlightBytes.addAndGet(-bytes);
                permits.release(units);
            }
        }
    }

    @Inject
    public UploadBudget(@ConfigProperty(name = "signstream.ingest.upload.max-in-flight-bytes") MemorySize maxInFlight,
            @ConfigProperty(name = "signstream.ingest.upload.wait-ms", defaultValue = "3000") long waitMillis,
            @ConfigProperty(name = "signstream.ingest.upload.retry-after-s", defaultValue = "5") int retryAfterSeconds,
            MeterRegistry registry) {
        this.capacityUnits = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxInFlight.asLongValue() / UNIT));
        this.waitMillis = waitMillis;
        this.retryAfterSeconds = retryAfterSeconds;
        this.permits = new Semaphore(capacityUnits, true);
        Gauge.builder("signstream.ingest.upload.bytes.in.flight", inFlightBytes, AtomicLong::get)
                .description("Bytes of uploaded files being processed now").baseUnit("bytes").register(registry);
        Gauge.builder("signstream.ingest.upload.bytes.in.flight.max", highWaterBytes, AtomicLong::get)
                .description("Most bytes of uploaded files processed at once since the start").baseUnit("bytes")
                .register(registry);
    }

    public long capacityBytes() {
        return capacityUnits * UNIT;
    }

    /** Most file bytes held at once since the start (never more than the budget, or one file larger than it). */
    public long highWaterBytes() {
        return highWaterBytes.get();
    }

    /**
     * @param fileBytes the uploaded file's size
     * @throws UploadsBusyException when the budget stays full for {@code wait-ms}
     */
    public Permit admit(long fileBytes) {
        int units = (int) Math.min(capacityUnits, Math.max(1, (fileBytes + UNIT - 1) / UNIT));
        boolean admitted;
        try {
            admitted = permits.tryAcquire(units, waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            throw new UploadsBusyException("uploads of " + (capacityBytes() - permits.availablePermits() * UNIT)
                    + " bytes are being processed, the limit is " + capacityBytes() + " bytes at once"
                    + " (signstream.ingest.upload.max-in-flight-bytes); this upload of " + fileBytes
                    + " bytes was not read: send it again after Retry-After seconds", retryAfterSeconds);
        }
        long now = inFlightBytes.addAndGet(fileBytes);
        highWaterBytes.accumulateAndGet(now, Math::max);
        return new Permit(units, fileBytes);
    }
}
