package io.signstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.signstream.contract.FeatureDerivations;
import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.NormalizationStamps;
import io.signstream.contract.RecordHeaders;
import io.signstream.contract.Topics;
import io.signstream.contract.npy.FeatureMatrix;
import io.signstream.contract.npy.Npy;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;
import io.signstream.landmarks.SharedFixtures;
import io.signstream.localstack.LocalAuth;
import io.signstream.localstack.TopicProbe;

/**
 * The first half of the pipeline as separate processes, as a user runs it: an .npy uploaded to the ingest
 * service's REST API comes out of features.normalized normalized exactly once; a bad one ends up refused.
 */
class DataPathTest {

    private static Stack stack;
    private static StackState state;

    @BeforeAll
    static void startDataPath() {
        stack = new Stack(StackFixture.isolatedSettings(), new Progress(System.out));
        state = stack.up(EnumSet.of(ServiceSpec.INGEST, ServiceSpec.NORMALIZATION));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            assertEquals(List.of(), stack.down(), "every process stops on SIGTERM");
            assertTrue(StackFixture.allStopped(state));
        }
    }

    @Test
    void uploadedNpyIsNormalizedExactlyOnce() throws Exception {
        int frames = 3;
        // channel c over time: offset_c + scale_c * (-1, 0, 1); every 7th channel is constant
        float[] values = new float[frames * FeatureLayout.DIMS];
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < FeatureLayout.DIMS; c++) {
                float scale = c % 7 == 0 ? 0f : 0.01f * (1 + c % 13);
                values[t * FeatureLayout.DIMS + c] = 0.3f + 0.001f * c + scale * (t - 1);
            }
        }
        String id = "data-path-" + System.nanoTime();
        HttpResponse<String> answer = upload(id, "dev", "HELLO WORLD __ON__", Npy.toBytes(new FeatureMatrix(frames,
                FeatureLayout.DIMS, values)));
        assertEquals(201, answer.statusCode(), answer.body());

        TopicProbe probe = new TopicProbe(state.bootstrapServers());
        ConsumerRecord<String, byte[]> record = probe.awaitKey(Topics.FEATURES_NORMALIZED_DEV, id, Duration.ofSeconds(60));
        FeatureSample sample = FeatureSampleCodec.decode(record.value());

        assertEquals(id, record.key());
        assertEquals(id, sample.getSampleId());
        assertEquals(Split.DEV, sample.getSplit());
        assertEquals(List.of("HELLO", "WORLD", "__ON__"), sample.getGlossesList());
        assertEquals(frames, sample.getFrameCount());
        assertEquals(FeatureLayout.DIMS, sample.getFeatureDims());
        assertTrue(NormalizationStamps.isNormalized(sample));
        assertEquals(NormalizationStamp.State.NORMALIZED, sample.getNormalization().getState());
        assertEquals("zscore-per-channel", sample.getNormalization().getMethod());

        // By hand: (-1, 0, 1) has mean 0 and population std sqrt(2/3), so z = (-1, 0, 1) / sqrt(2/3) = (-1.2247, 0, 1.2247)
        // whatever the channel's offset and scale; constant channels become exactly 0.
        double expected = 1 / Math.sqrt(2.0 / 3.0);
        float[] normalized = FeatureTensor.toFloats(sample.getFeatures());
        for (int c = 0; c < FeatureLayout.DIMS; c++) {
            for (int t = 0; t < frames; t++) {
                double want = c % 7 == 0 ? 0 : (t - 1) * expected;
                assertEquals(want, normalized[t * FeatureLayout.DIMS + c], 1e-3, "channel " + c + " frame " + t);
            }
        }
        // exactly once: one record for this id on the normalized topic
        long copies = probe.readUntil(Topics.FEATURES_NORMALIZED_DEV, records -> false, Duration.ofSeconds(3)).stream()
                .filter(r -> id.equals(r.key())).count();
        assertEquals(1, copies);
    }

    @Test
    void malformedUploadIsRefusedAndTheNextOneGoesThrough() throws Exception {
        float[] withNaN = new float[2 * FeatureLayout.DIMS];
        withNaN[5] = Float.NaN;
        String bad = "data-path-bad-" + System.nanoTime();
        HttpResponse<String> refused = upload(bad, "train", "A B", Npy.toBytes(new FeatureMatrix(2, FeatureLayout.DIMS, withNaN)));
        assertEquals(422, refused.statusCode());
        assertTrue(refused.body().contains("NON_FINITE"), refused.body());

        // Published straight to Kafka (as a Python producer could), a record with NaN is parked on the rejected topic.
        TopicProbe probe = new TopicProbe(state.bootstrapServers());
        FeatureSample direct = FeatureSample.newBuilder().setSampleId(bad).setSplit(Split.TRAIN).addGlosses("A")
                .setFrameCount(2).setFeatureDims(FeatureLayout.DIMS).setFeatures(FeatureTensor.toBytes(withNaN)).build();
        probe.send(Topics.FEATURES_RAW, bad, FeatureSampleCodec.encode(direct));
        ConsumerRecord<String, byte[]> rejected = probe.awaitKey(Topics.FEATURES_REJECTED, bad, Duration.ofSeconds(60));
        assertEquals("NON_FINITE", TopicProbe.header(rejected, RecordHeaders.REASON));

        String good = "data-path-good-" + System.nanoTime();
        assertEquals(201, upload(good, "train", "A B", Npy.toBytes(new FeatureMatrix(2, FeatureLayout.DIMS,
                new float[2 * FeatureLayout.DIMS]))).statusCode());
        probe.awaitKey(Topics.FEATURES_NORMALIZED_TRAIN, good, Duration.ofSeconds(60));
    }

    @Test
    void theRealPoseRecordingIsDerivedAtIngestAndNormalizedWithoutNaN() throws Exception {
        String id = "data-path-pose-" + System.nanoTime();
        HttpResponse<String> answer = upload(id, "train", "HALLO WELT",
                SharedFixtures.read(SharedFixtures.EXAMPLE_POSE), ".pose");
        assertEquals(201, answer.statusCode(), answer.body());

        TopicProbe probe = new TopicProbe(state.bootstrapServers());
        FeatureSample raw = FeatureSampleCodec.decode(probe.awaitKey(Topics.FEATURES_RAW, id, Duration.ofSeconds(60))
                .value());
        FeatureSample sample = FeatureSampleCodec.decode(
                probe.awaitKey(Topics.FEATURES_NORMALIZED_TRAIN, id, Duration.ofSeconds(60)).value());
        assertEquals(97, sample.getFrameCount());
        assertTrue(NormalizationStamps.isNormalized(sample));
        // the derivation stamp travels with the record through normalization
        assertEquals(FeatureDerivations.describe(raw), FeatureDerivations.describe(sample));
        assertTrue(FeatureDerivations.describe(sample).startsWith("holistic-landmarks@v1{"));
        // the hands are exact zeros in about half of the raw frames; normalized, nothing is NaN or infinite
        float[] before = FeatureTensor.toFloats(raw.getFeatures());
        assertEquals(0f, before[16 * FeatureLayout.DIMS + 99]);
        float[] normalized = FeatureTensor.toFloats(sample.getFeatures());
        for (int i = 0; i < normalized.length; i++) {
            assertTrue(Float.isFinite(normalized[i]), "normalized value " + i + " is " + normalized[i]);
        }
    }

    private static HttpResponse<String> upload(String id, String split, String glosses, byte[] npy)
            throws IOException, InterruptedException {
        return upload(id, split, glosses, npy, ".npy");
    }

    private static HttpResponse<String> upload(String id, String split, String glosses, byte[] file,
            String extension) throws IOException, InterruptedException {
        String boundary = "signstream" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String[] field : List.of(new String[] {"sampleId", id}, new String[] {"split", split},
                new String[] {"glosses", glosses})) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n"
                    + field[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + id
                + extension + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(state.serviceUrl(ServiceSpec.INGEST) + "/samples"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", "Bearer " + LocalAuth.in(Path.of(state.authDirectory()))
                        .token("data-path-test", List.of("publisher"), Duration.ofMinutes(10)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
