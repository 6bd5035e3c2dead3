package io.signstream.featurestream;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.signstream.contract.Topics;
import io.signstream.contract.proto.Split;

/**
 * Which topic holds which split. Each split has its own normalized topic, so a pass over dev never fetches a train
 * record; a reader names only the splits it reads (the trainer train, the evaluator dev and test), just as it is
 * allowed to read only those. A legacy topic in the layout before split topics (every split in one topic) may be
 * named too: a pass then reads it as well and keeps only the requested split, so data normalized before the
 * migration stays usable; it may be missing on the broker (a pass then skips it).
 *
 * @param bySplit the topic of each split this reader reads
 * @param legacy a topic holding every split; empty = none
 */
public record SplitTopics(Map<Split, String> bySplit, Optional<String> legacy) {

    /** Written in configuration to say "no legacy topic" (an empty value cannot be told from an unset one). */
    public static final String NONE = "none";

    public SplitTopics {
        EnumMap<Split, String> copy = new EnumMap<>(Split.class);
        bySplit.forEach((split, name) -> {
            if (split != Split.TRAIN && split != Split.DEV && split != Split.TEST) {
                throw new IllegalArgumentException("a split topic holds train, dev or test, not " + split);
            }
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("the " + split + " topic name is blank");
            }
            copy.put(split, name.trim());
        });
        bySplit = Map.copyOf(copy);
        legacy = legacy == null ? Optional.empty()
                : legacy.map(String::trim).filter(n -> !n.isEmpty() && !NONE.equals(n));
        if (bySplit.isEmpty() && legacy.isEmpty()) {
            throw new IllegalArgumentException("no topic to read: name a split topic or a legacy topic");
        }
    }

    /** Every split in the default topics of {@link Topics}, and the legacy {@code features.normalized}. */
    public static SplitTopics defaults() {
        return none().with(Split.TRAIN, Topics.FEATURES_NORMALIZED_TRAIN).with(Split.DEV, Topics.FEATURES_NORMALIZED_DEV)
                .with(Split.TEST, Topics.FEATURES_NORMALIZED_TEST).withLegacy(Topics.FEATURES_NORMALIZED);
    }

    /** One topic holding every split (the layout before split topics): every pass reads all of it, and it must exist. */
    public static SplitTopics shared(String topic) {
        return none().with(Split.TRAIN, topic).with(Split.DEV, topic).with(Split.TEST, topic).withLegacy(NONE);
    }

    /** Start of a layout built with {@link #with} and {@link #withLegacy}; not valid until one topic is named. */
    public static Builder none() {
        return new Builder(new EnumMap<>(Split.class));
    }

    /** Collects split topics before the legacy one is named (or not: {@link #withLegacy}({@value #NONE})). */
    public record Builder(EnumMap<Split, String> bySplit) {

        public Builder with(Split split, String topic) {
            EnumMap<Split, String> more = new EnumMap<>(bySplit);
            more.put(split, topic);
            return new Builder(more);
        }

        public SplitTopics withLegacy(String name) {
            return new SplitTopics(bySplit, Optional.ofNullable(name));
        }
    }

    public SplitTopics withLegacy(String name) {
        return new SplitTopics(bySplit, Optional.ofNullable(name));
    }

    /** The split's own topic, if it has one here. */
    public Optional<String> of(Split split) {
        return Optional.ofNullable(bySplit.get(split));
    }

    /** What a pass over {@code split} reads: its own topic, then the legacy one (if any, and if not the same). */
    public List<String> forSplit(Split split) {
        if (split != Split.TRAIN && split != Split.DEV && split != Split.TEST) {
            throw new IllegalArgumentException("a pass reads train, dev or test, not " + split);
        }
        List<String> topics = new ArrayList<>();
        of(split).ifPresent(topics::add);
        legacy.filter(l -> !topics.contains(l)).ifPresent(topics::add);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("this reader has no topic for the " + split + " split (it reads "
                    + bySplit.keySet() + "); name one in its configuration");
        }
        return List.copyOf(topics);
    }

    /** True for the legacy topic, which a pass skips when it does not exist (any more). */
    public boolean isLegacy(String topic) {
        return legacy.filter(topic::equals).isPresent() && !bySplit.containsValue(topic);
    }

    /** For messages and summaries: e.g. {@code features.normalized.dev+features.normalized}. */
    public String describe(Split split) {
        return String.join("+", forSplit(split));
    }
}
