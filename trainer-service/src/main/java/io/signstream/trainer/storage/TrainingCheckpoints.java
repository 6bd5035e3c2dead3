package io.signstream.trainer.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.signstream.checkpoint.CheckpointDamage;
import io.signstream.checkpoint.CheckpointFiles;
import io.signstream.checkpoint.CheckpointManifest;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.scoring.Vocabulary;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;

/**
 * A trainer checkpoint through {@link CheckpointStore}: {@code parameters.bin}, {@code optimizer.bin} (AdamW moments
 * and step keyed by parameter name), {@code vocabulary.json}, {@code config.json} (the {@link TeacherConfig}, what
 * the evaluator needs to rebuild the model), {@code normalization.json}, {@code metrics.json},
 * {@code training-state.json} ({@link TrainingState}); the manifest last.
 */
public final class TrainingCheckpoints {

    /** The trainer's own addition to the checkpoint layout. */
    public static final String TRAINING_STATE = "training-state.json";

    private final CheckpointStore store;

    public TrainingCheckpoints(CheckpointStore store) {
        this.store = store;
    }

    public CheckpointStore store() {
        return store;
    }

    /** Who marks a damaged checkpoint it finds ({@link CheckpointDamage#detectedBy()}). */
    public static final String DETECTED_BY = "trainer";

    /**
     * What a resume needs, every file verified against the manifest.
     *
     * @param skipped newer checkpoints that failed their manifest check and were passed over, newest first
     */
    public record Restored(CheckpointManifest manifest, Vocabulary vocabulary, TeacherConfig config,
            String normalization, NormalizationStamp stamp, TrainingState state, byte[] parameters, byte[] optimizer,
            List<CheckpointDamage> skipped) {

        public int epoch() {
            return manifest.epoch();
        }

        public void loadInto(TeacherSession session) {
            session.loadParameters(new ByteArrayInputStream(parameters));
            session.loadOptimizerState(new ByteArrayInputStream(optimizer));
        }
    }

    public CheckpointManifest write(CheckpointRef ref, TeacherSession session, Vocabulary vocabulary,
            NormalizationStamp stamp, String normalization, TrainingState state, Map<String, Double> metrics) {
        return write(ref, session, vocabulary, stamp, normalization, state, metrics, null,
                CheckpointStore.WriteFence.NONE);
    }

    /** The same by an owner of the run: each object checked by {@code fence}, the manifest naming {@code writer}. */
    public CheckpointManifest write(CheckpointRef ref, TeacherSession session, Vocabulary vocabulary,
            NormalizationStamp stamp, String normalization, TrainingState state, Map<String, Double> metrics,
            CheckpointManifest.Writer writer, CheckpointStore.WriteFence fence) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        ByteArrayOutputStream parameters = new ByteArrayOutputStream();
        session.saveParameters(parameters);
        files.put(CheckpointFiles.PARAMETERS, parameters.toByteArray());
        ByteArrayOutputStream optimizer = new ByteArrayOutputStream();
        session.saveOptimizerState(optimizer);
        files.put(CheckpointFiles.OPTIMIZER, optimizer.toByteArray());
        files.put(CheckpointFiles.VOCABULARY, vocabulary.toJson());
        files.put(CheckpointFiles.CONFIG, state.options().model().toJson());
        files.put(CheckpointFiles.NORMALIZATION, json(normalizationJson(stamp, normalization)));
        files.put(CheckpointFiles.METRICS, json(new TreeMap<>(metrics)));
        files.put(TRAINING_STATE, json(state));
        return store.write(ref, files, normalization, metrics, writer, fence);
    }

    /**
     * The newest intact checkpoint of a run: newer ones that fail their manifest check (size or SHA-256 of a file,
     * an unreadable manifest) are skipped, marked as damaged next to themselves and listed in
     * {@link Restored#skipped()}; nothing is deleted.
     *
     * @return empty when the run has no intact checkpoint; {@link #damaged} then tells whether it had damaged ones
     */
    public Optional<Restored> newestIntact(String runId) {
        return newestIntact(runId, 0);
    }

    /** The same, also trying epochs up to {@code knownNewest} (the run record's last checkpoint) by their keys. */
    public Optional<Restored> newestIntact(String runId, int knownNewest) {
        return store.newestIntact(runId, DETECTED_BY, knownNewest).map(intact -> {
            CheckpointManifest manifest = intact.manifest();
            Vocabulary vocabulary = Vocabulary.fromJson(intact.file(CheckpointFiles.VOCABULARY));
            TeacherConfig config = TeacherConfig.fromJson(intact.file(CheckpointFiles.CONFIG));
            TrainingState state = read(intact.file(TRAINING_STATE), TrainingState.class);
            NormalizationStamp stamp = stampFrom(read(intact.file(CheckpointFiles.NORMALIZATION), Map.class));
            return new Restored(manifest, vocabulary, config, manifest.normalization(), stamp, state,
                    intact.file(CheckpointFiles.PARAMETERS), intact.file(CheckpointFiles.OPTIMIZER), intact.skipped());
        });
    }

    /** The run's checkpoints marked damaged (after {@link #newestIntact} found no intact one: all of them). */
    public List<CheckpointDamage> damaged(String runId) {
        return store.damaged(runId);
    }

    static Map<String, Object> normalizationJson(NormalizationStamp stamp, String description) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("description", description);
        if (stamp != null) {
            json.put("state", stamp.getState().name());
            json.put("method", stamp.getMethod());
            json.put("methodVersion", stamp.getMethodVersion());
            json.put("parameters", new TreeMap<>(stamp.getParametersMap()));
        }
        return json;
    }

    @SuppressWarnings("unchecked")
    static NormalizationStamp stampFrom(Map<?, ?> json) {
        NormalizationStamp.Builder stamp = NormalizationStamp.newBuilder();
        if (json.get("state") != null) {
            stamp.setState(NormalizationStamp.State.valueOf((String) json.get("state")));
        }
        if (json.get("method") != null) {
            stamp.setMethod((String) json.get("method"));
        }
        if (json.get("methodVersion") instanceof Number version) {
            stamp.setMethodVersion(version.intValue());
        }
        if (json.get("parameters") instanceof Map<?, ?> parameters) {
            ((Map<String, Object>) parameters).forEach((k, v) -> stamp.putParameters(k, String.valueOf(v)));
        }
        return stamp.build();
    }

    private static byte[] json(Object value) {
        try {
            return RunRepository.JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] json, Class<T> type) {
        try {
            return RunRepository.JSON.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
