package io.signstream.featurestream;

import java.util.Map;
import java.util.TreeMap;

import io.signstream.contract.FeatureDerivations;
import io.signstream.contract.proto.Split;

/**
 * What one pass over the topic met.
 *
 * @param read records read in the pass's offset range, every split included
 * @param kept samples handed out
 * @param refused records of the split (or of unknown split: undecodable) refused, by reason (see {@link Refusal})
 * @param duplicates records of the split superseded by a later record with the same sample id
 * @param otherSplits records skipped because they belong to another split
 * @param stamps normalization stamp descriptions of the split's records, with their counts (refused ones included)
 * @param derivations how the split's records got their features ({@link FeatureDerivations#arithmetic}: a landmark
 *        derivation and its version, or as uploaded), with their counts (decoded records, refused ones included):
 *        a split that mixes them shows it here
 * @param endOffsets the per-partition end offsets captured when the pass started ("topic-partition" to offset)
 */
public record PassSummary(Split split, long read, long kept, Map<String, Long> refused, long duplicates,
        long otherSplits, Map<String, Long> stamps, Map<String, Long> derivations, Map<String, Long> endOffsets) {

    public PassSummary {
        refused = Map.copyOf(new TreeMap<>(refused));
        stamps = Map.copyOf(stamps);
        derivations = Map.copyOf(derivations);
        endOffsets = Map.copyOf(endOffsets);
    }

    public long refusedTotal() {
        return refused.values().stream().mapToLong(Long::longValue).sum();
    }

    public long refused(String reason) {
        return refused.getOrDefault(reason, 0L);
    }

    @Override
    public String toString() {
        return "pass over " + split + ": read " + read + ", kept " + kept + ", refused " + new TreeMap<>(refused)
                + ", duplicates " + duplicates + ", other splits " + otherSplits + ", stamps " + new TreeMap<>(stamps)
                + ", feature derivations " + new TreeMap<>(derivations);
    }
}
