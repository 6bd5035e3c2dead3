package io.signstream.featurestream;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.jboss.logging.Logger;

/**
 * One pass through a {@link SplitCache}: the samples the cache holds, then the broker's records from where the cache
 * ends to the end offsets captured when the pass opened. Hands out what an uncached pass over the same offsets would
 * (in another order: cached samples first) and reports the same {@link PassSummary}.
 */
public final class CachedPass implements Iterator<NormalizedSample>, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CachedPass.class);

    private final SplitCache cache;
    private final PassRequest request;
    private final List<SplitCache.Entry> cached;
    private final SplitCache.Counts counts;
    private final long started = System.nanoTime();
    private final Map<String, Long> refused = new HashMap<>();
    private final Map<String, Long> stamps = new HashMap<>();
    private final Map<String, Long> derivations = new HashMap<>();

    private SamplePass broker;
    private SplitCache.Recorder recorder;
    private int nextEntry;
    private long fromCache;
    private NormalizedSample next;
    private boolean ended;

    CachedPass(SplitCache cache, PassRequest request, List<SplitCache.Entry> cached, SplitCache.Counts counts) {
        this.cache = cache;
        this.request = request;
        this.cached = cached;
        this.counts = counts;
    }

    void reading(SamplePass brokerPart, SplitCache.Recorder brokerRecorder) {
        this.broker = brokerPart;
        this.recorder = brokerRecorder;
    }

    public PassRequest request() {
        return request;
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            if (nextEntry < cached.size()) {
                next = serve(cached.get(nextEntry++));
            } else if (broker.hasNext()) {
                next = broker.next();
            } else {
                end();
                return false;
            }
        }
        return true;
    }

    @Override
    public NormalizedSample next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the pass over " + broker.topics() + " has ended");
        }
        NormalizedSample sample = next;
        next = null;
        return sample;
    }

    /** Samples handed out from the cache so far. */
    public long fromCache() {
        return fromCache;
    }

    /** Samples handed out from the broker so far. */
    public long fromBroker() {
        return broker.summary().kept();
    }

    /** The counts so far, cached range and broker part together; final once the pass has ended. */
    public PassSummary summary() {
        PassSummary part = broker.summary();
        Map<String, Long> allRefused = new HashMap<>(part.refused());
        counts.unidentified().forEach((reason, n) -> allRefused.merge(reason, n, Long::sum));
        refused.forEach((reason, n) -> allRefused.merge(reason, n, Long::sum));
        Map<String, Long> allStamps = new HashMap<>(part.stamps());
        stamps.forEach((stamp, n) -> allStamps.merge(stamp, n, Long::sum));
        Map<String, Long> allDerivations = new HashMap<>(part.derivations());
        derivations.forEach((derivation, n) -> allDerivations.merge(derivation, n, Long::sum));
        return new PassSummary(request.split(), counts.read() + part.read(), fromCache + part.kept(), allRefused,
                counts.duplicates() + part.duplicates(), counts.otherSplits() + part.otherSplits(), allStamps,
                allDerivations, part.endOffsets());
    }

    @Override
    public void close() {
        broker.close();
    }

    private NormalizedSample serve(SplitCache.Entry entry) {
        if (entry.stamp() != null) {
            stamps.merge(entry.stamp(), 1L, Long::sum);
        }
        if (entry.derivation() != null) {
            derivations.merge(entry.derivation(), 1L, Long::sum);
        }
        if (!entry.kept()) {
            refused.merge(entry.reason(), 1L, Long::sum);
            LOG.warnf("refused sample %s (%s-%d@%d, cached) from the %s pass: %s", entry.id(),
                    entry.position().topic(), entry.position().partition(), entry.position().offset(),
                    request.split(), entry.reason());
            return null;
        }
        fromCache++;
        return cache.load(entry);
    }

    private void end() {
        if (ended || !broker.isFinished()) {
            return;
        }
        ended = true;
        if (recorder.recording) {
            cache.coveredUpTo(broker.ends());
        }
        SplitCache.Stats stats = cache.stats();
        LOG.infof("%s in %d ms: %d samples from the local cache, %d from the broker (cache: %d samples, %d MB%s)",
                summary(), (System.nanoTime() - started) / 1_000_000, fromCache, broker.summary().kept(),
                stats.samples(), stats.bytes() >> 20, stats.growing() ? "" : ", not growing: " + stats.stoppedBecause());
    }
}
