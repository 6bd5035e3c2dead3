package io.signstream.localstack;

import java.util.List;
import java.util.Map;

import io.signstream.contract.Topics;

/** The topics of the system with their partition counts and configs, as created on the local broker. */
public final class TopicLayout {

    /** Broker and topic limit on one record batch: a 16 MiB sample plus headroom for key, headers and framing. */
    public static final int MAX_MESSAGE_BYTES = Topics.MAX_RECORD_BYTES + 1024 * 1024;

    public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    }

    /** Feature topics are the replayable dataset: kept forever, and sized for multi-MB records. */
    private static final Map<String, String> FEATURE_TOPIC_CONFIG = Map.of(
            "retention.ms", "-1",
            "retention.bytes", "-1",
            "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES));

    private static final Map<String, String> EVENT_TOPIC_CONFIG = Map.of(
            "retention.ms", String.valueOf(30L * 24 * 3600 * 1000));

    /**
     * Import jobs of the ingest service: compacted (one record per job id and per instance heartbeat is what matters),
     * read from the start by every instance; a job's record carries its per-sample lists, so the large-record limit.
     */
    private static final Map<String, String> STATE_TOPIC_CONFIG = Map.of(
            "cleanup.policy", "compact",
            "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES));

    /** Partitions of the feature topics bound how many normalization instances can share the work. */
    public static final List<TopicSpec> DEFAULT = List.of(
            new TopicSpec(Topics.FEATURES_RAW, 4, FEATURE_TOPIC_CONFIG),
            // one normalized topic per split: a reader of one split fetches nothing else
            new TopicSpec(Topics.FEATURES_NORMALIZED_TRAIN, 4, FEATURE_TOPIC_CONFIG),
            new TopicSpec(Topics.FEATURES_NORMALIZED_DEV, 4, FEATURE_TOPIC_CONFIG),
            new TopicSpec(Topics.FEATURES_NORMALIZED_TEST, 4, FEATURE_TOPIC_CONFIG),
            // the layout before split topics, still read (split filtered) for data normalized before them; nothing
            // writes it any more (README, "Migration")
            new TopicSpec(Topics.FEATURES_NORMALIZED, 4, FEATURE_TOPIC_CONFIG),
            new TopicSpec(Topics.FEATURES_REJECTED, 1, FEATURE_TOPIC_CONFIG),
            new TopicSpec(Topics.TRAINING_EVENTS, 1, EVENT_TOPIC_CONFIG),
            // the run queue: partitions bound how many trainers take requests at once (a busy trainer holds the
            // request of its run uncommitted, see trainer-service's RunQueue)
            new TopicSpec(Topics.TRAINING_REQUESTS, 6, EVENT_TOPIC_CONFIG),
            new TopicSpec(Topics.EVALUATION_RESULTS, 1, EVENT_TOPIC_CONFIG),
            new TopicSpec(Topics.INGEST_IMPORTS, 1, STATE_TOPIC_CONFIG));

    private TopicLayout() {
    }
}
