package io.signstream.evaluator;

import io.signstream.featurenormalization.NoiseFloor;
import io.signstream.featurenormalization.Normalization;
import io.signstream.featurenormalization.Normalizations;
import io.signstream.featurenormalization.PerChannelZScore;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.minio.MinioClient;
import io.signstream.checkpoint.CheckpointFiles;
import io.signstream.checkpoint.CheckpointManifest;
import io.signstream.checkpoint.CheckpointRef;
import io.signstream.checkpoint.CheckpointStore;
import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.NormalizationStamps;
import io.signstream.contract.Topics;
import io.signstream.contract.events.EventJson;
import io.signstream.contract.events.TrainingEvent;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;
import io.signstream.localstack.TopicProbe;
import io.signstream.localstack.synthetic.SyntheticDataset;
import io.signstream.localstack.synthetic.SyntheticOptions;
import io.signstream.localstack.synthetic.SyntheticSample;
import io.signstream.scoring.Vocabulary;
import io.signstream.teacher.StepResult;
import io.signstream.teacher.TeacherBatch;
import io.signstream.teacher.TeacherConfig;
import io.signstream.teacher.TeacherSession;

/**
 * The tiny world of the evaluator's tests: a synthetic data set published to features.normalized as the
 * normalization-service would (per-sample z-score per channel, NORMALIZED stamp), and trainer-shaped checkpoints
 * written with the real teacher and the real {@link CheckpointStore}.
 */
public final class TestData {

    /** The normalization service's default arithmetic (the shared implementation). */
    private static final Normalization DEFAULT = Normalizations.create(PerChannelZScore.METHOD);
    public static final NormalizationStamp STAMP = stamp(DEFAULT);
    public static final String NORMALIZATION = NormalizationStamps.describe(STAMP);
    /** Another arithmetic (version 1): what a checkpoint trained on differently normalized data would carry. */
    public static final String OTHER_NORMALIZATION = NormalizationStamps.describe(stamp(
            Normalizations.create(PerChannelZScore.METHOD, 1, 1e-6, NoiseFloor.DEFAULT)));
    /** An extra dev record without stamp: the evaluator must refuse it, never score it. */
    public static final String UNSTAMPED_DEV_ID = "dev-unstamped-00000";

    public static final SyntheticDataset DATASET = new SyntheticDataset(SyntheticOptions.tiny().withSamples(6, 4, 3));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean published;

    private TestData() {
    }

    /** The split as the normalization-service would publish it. */
    public static List<FeatureSample> normalized(Split split) {
        List<FeatureSample> samples = new ArrayList<>();
        for (SyntheticSample sample : DATASET.samples(split)) {
            samples.add(sample.toFeatureSample().toBuilder()
                    .setFeatures(FeatureTensor.toBytes(DEFAULT.apply(sample.features(), sample.frames(),
                            FeatureLayout.DIMS)))
                    .setNormalization(STAMP)
                    .build());
        }
        return samples;
    }

    private static NormalizationStamp stamp(Normalization normalization) {
        return normalization.stamp("normalization-test", 1_700_000_000_000L);
    }

    /** Publishes train, dev and test (stamped) and one unstamped dev record, once per JVM. */
    public static synchronized void publishOnce(String bootstrapServers) {
        if (published) {
            return;
        }
        TopicProbe probe = new TopicProbe(bootstrapServers);
        for (Split split : List.of(Split.TRAIN, Split.DEV, Split.TEST)) {
            for (FeatureSample sample : normalized(split)) {
                probe.send(Topics.FEATURES_NORMALIZED, sample.getSampleId(), FeatureSampleCodec.encode(sample));
            }
        }
        FeatureSample raw = DATASET.sample(Split.DEV, 0).toFeatureSample().toBuilder().setSampleId(UNSTAMPED_DEV_ID).build();
        probe.send(Topics.FEATURES_NORMALIZED, raw.getSampleId(), FeatureSampleCodec.encode(raw));
        published = true;
    }

    /** The vocabulary the trainer builds: the train split's glosses. */
    public static Vocabulary vocabulary() {
        return Vocabulary.fromGlossSequences(DATASET.samples(Split.TRAIN).stream().map(SyntheticSample::glosses)
                .toList());
    }

    public static long referenceLength(Split split) {
        return DATASET.samples(split).stream().mapToLong(s -> s.glosses().size()).sum();
    }

    /**
     * Trains the small teacher for a few steps on the (normalized) train split and writes the checkpoint the way the
     * trainer does: parameters, optimizer state, vocabulary, config, normalization.json, metrics; manifest last.
     */
    public static CheckpointManifest writeCheckpoint(MinioClient client, String bucket, String runId, int epoch,
            String normalization, int steps) {
        Vocabulary vocabulary = vocabulary();
        TeacherConfig config = TeacherConfig.small();
        List<FeatureSample> train = normalized(Split.TRAIN);
        double loss = Double.NaN;
        try (TeacherSession session = TeacherSession.create(config, vocabulary.size(), 11L)) {
            for (int step = 0; step < steps; step++) {
                FeatureSample a = train.get((2 * step) % train.size());
                FeatureSample b = train.get((2 * step + 1) % train.size());
                TeacherBatch batch = TeacherBatch.pad(
                        List.of(FeatureTensor.toFloats(a.getFeatures()), FeatureTensor.toFloats(b.getFeatures())),
                        List.of(vocabulary.encode(a.getGlossesList()), vocabulary.encode(b.getGlossesList())));
                StepResult result = session.trainStep(batch, config.learningRate());
                loss = result.loss();
            }
            Map<String, byte[]> files = new LinkedHashMap<>();
            ByteArrayOutputStream parameters = new ByteArrayOutputStream();
            session.saveParameters(parameters);
            files.put(CheckpointFiles.PARAMETERS, parameters.toByteArray());
            ByteArrayOutputStream optimizer = new ByteArrayOutputStream();
            session.saveOptimizerState(optimizer);
            files.put(CheckpointFiles.OPTIMIZER, optimizer.toByteArray());
            files.put(CheckpointFiles.VOCABULARY, vocabulary.toJson());
            files.put(CheckpointFiles.CONFIG, config.toJson());
            Map<String, Object> normalizationJson = new LinkedHashMap<>();
            normalizationJson.put("description", normalization);
            normalizationJson.put("state", "NORMALIZED");
            files.put(CheckpointFiles.NORMALIZATION, JSON.writeValueAsBytes(normalizationJson));
            Map<String, Double> metrics = new TreeMap<>(Map.of("loss", Double.isFinite(loss) ? loss : -1.0,
                    "steps", (double) steps));
            files.put(CheckpointFiles.METRICS, JSON.writeValueAsBytes(metrics));
            return new CheckpointStore(client, bucket).write(new CheckpointRef(runId, epoch), files, normalization, metrics);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What the trainer sends after writing a checkpoint. */
    public static void announce(String bootstrapServers, String bucket, String runId, int epoch, String normalization) {
        TrainingEvent event = new TrainingEvent(TrainingEvent.Type.CHECKPOINT_WRITTEN, runId, epoch, bucket,
                new CheckpointRef(runId, epoch).prefix(), normalization, Map.of("loss", 1.0), "test checkpoint",
                System.currentTimeMillis());
        new TopicProbe(bootstrapServers).send(Topics.TRAINING_EVENTS, runId, EventJson.write(event));
    }

    public static MinioClient client(String endpoint, String accessKey, String secretKey) {
        return MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).build();
    }

    public static Duration evaluationTimeout() {
        return Duration.ofMinutes(3);
    }
}
