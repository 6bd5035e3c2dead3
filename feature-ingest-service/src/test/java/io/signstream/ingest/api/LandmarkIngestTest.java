package io.signstream.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.signstream.contract.FeatureDerivations;
import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.ingest.support.LandmarkSamples;
import io.signstream.ingest.support.TestSamples;
import io.signstream.ingest.support.TopicContents;
import io.signstream.landmarks.HolisticLayout;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.signstream.localstack.TopicProbe;

/**
 * Landmarks in, features out: the real recording and landmark arrays through {@code POST /samples} and a bulk
 * import, derived once by landmark-features and stamped with that derivation; broken landmark files refused with
 * their reason and nothing published.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class LandmarkIngestTest {

    /** This class tests what the endpoints do; who may call them is AuthorizationTest's. */
    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    private static final String RAW = "features.raw";
    private static final int D = FeatureLayout.DIMS;
    private static final int LEFT_WRIST = 3 * HolisticLayout.LEFT_HAND_FIRST;
    private static final int RIGHT_WRIST = 3 * HolisticLayout.RIGHT_HAND_FIRST;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "signstream.ingest.import.root")
    Path importRoot;

    /** A fresh dataset folder under the import root (imports read nothing outside it). */
    Path dataset;

    @BeforeEach
    void newDataset() throws IOException {
        dataset = TestSamples.newDataset(importRoot);
    }

    @Test
    void theRealPoseRecordingIsDerivedAndPublishedThroughRest() {
        String id = TestSamples.uniqueId("pose");
        SampleResourceTest.upload(id + ".pose", LandmarkSamples.examplePose(), null, "train", "HALLO WELT")
                .statusCode(201).body("sampleId", equalTo(id)).body("frames", equalTo(97));
        assertTheRecording(published(id), "upload:" + id + ".pose");
    }

    @Test
    void aLandmarkArrayWithVisibilityIsDerivedAndItsUndetectedHandZeroed() {
        String id = TestSamples.uniqueId("npy-landmarks");
        SampleResourceTest.upload("x.npy", LandmarkSamples.npyWithoutRightHand(3), id, "dev", "A B")
                .statusCode(201).body("frames", equalTo(3));
        FeatureSample sample = published(id);
        float[] f = values(sample);
        assertEquals(3 * D, f.length);
        assertEquals(0.001f * 34, f[D + 3 * 34], "frame 1, point 34 (left hand 1) x: already normalized");
        assertEquals(0.51f, f[D + 3 * 34 + 1]);
        assertEquals(0.01f, f[D + FeatureLayout.RAW_LANDMARK_VALUES + 3 * 34 + 1], 1e-6f, "velocity of y");
        for (int t = 0; t < 3; t++) {
            for (int c = RIGHT_WRIST; c < RIGHT_WRIST + 63; c++) {
                assertEquals(0, Float.floatToRawIntBits(f[t * D + c]), "right hand, frame " + t + " column " + c);
            }
        }
        assertEquals("holistic-landmarks@v1{confidence=zero-means-missing, frame_height=1, frame_width=1, "
                + "input=npy [T, 543, 4]}", FeatureDerivations.describe(sample));
    }

    @Test
    void anNpzWithALandmarksArrayIsAccepted() {
        String id = TestSamples.uniqueId("npz-landmarks");
        SampleResourceTest.upload("x.npz", LandmarkSamples.npzLandmarks(2), id, "test", "A")
                .statusCode(201).body("frames", equalTo(2));
        FeatureSample sample = published(id);
        assertEquals(0.25f, values(sample)[HolisticLayout.FACE_FIRST * 3]);
        assertEquals("none", sample.getDerivation().getParametersMap().get("confidence"));
    }

    @Test
    void finishedFeaturesCarryNoDerivationStamp() {
        String id = TestSamples.uniqueId("features");
        SampleResourceTest.upload("x.npy", TestSamples.npy(2), id, "train", "A").statusCode(201);
        FeatureSample sample = published(id);
        assertFalse(sample.hasDerivation());
        assertEquals(FeatureDerivations.AS_UPLOADED, FeatureDerivations.describe(sample));
    }

    static Stream<Arguments> brokenLandmarkFiles() {
        return Stream.of(
                Arguments.of("SEVERAL_PEOPLE", LandmarkSamples.severalPeople(), "2 people per frame"),
                Arguments.of("TRUNCATED_FILE", LandmarkSamples.truncated(), "declares 2 frames"),
                Arguments.of("TRUNCATED_FILE", java.util.Arrays.copyOf(LandmarkSamples.truncated(), 300),
                        "ends inside its header"),
                Arguments.of("HEADER_BODY_MISMATCH", LandmarkSamples.trailingBytes(), "12 bytes are not accounted"),
                Arguments.of("MISSING_COMPONENT", LandmarkSamples.withoutLeftHand(), "no LEFT_HAND_LANDMARKS"),
                Arguments.of("WRONG_POINT_COUNT", LandmarkSamples.refinedFace(), "FACE_LANDMARKS has 478 points"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("brokenLandmarkFiles")
    void aBrokenLandmarkFileIsRefusedWithItsReasonAndNothingIsPublished(String reason, byte[] file, String detail) {
        String id = TestSamples.uniqueId("broken");
        SampleResourceTest.upload(id + ".pose", file, id, "train", "A").statusCode(422)
                .contentType("application/json").body("reason", equalTo(reason))
                .body("detail", containsString(detail));
        assertFalse(TopicContents.keys(new TopicProbe(bootstrapServers), RAW).contains(id));
    }

    @Test
    void aBulkImportTakesPoseFilesAndLandmarkArraysAndRefusesBrokenOnes() throws Exception {
        String p = TestSamples.uniqueId("phx-pose");
        Files.createDirectories(dataset.resolve("train"));
        Files.createDirectories(dataset.resolve("features/dev"));
        StringBuilder train = new StringBuilder("id|folder|signer|annotation\n");
        train.append(p).append("-example|x|Signer01|HALLO WELT\n");
        Files.write(dataset.resolve("train/" + p + "-example.pose"), LandmarkSamples.examplePose());
        Map<String, byte[]> broken = new TreeMap<>(LandmarkSamples.brokenByReason());
        for (Map.Entry<String, byte[]> entry : broken.entrySet()) {
            String id = p + "-" + entry.getKey().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            train.append(id).append("|x|Signer02|A\n");
            Files.write(dataset.resolve("train/" + id + ".pose"), entry.getValue());
        }
        Files.writeString(dataset.resolve("train.corpus.csv"), train, StandardCharsets.UTF_8);
        Files.writeString(dataset.resolve("dev.corpus.csv"), "id|folder|signer|annotation\n" + p + "-array|x|S|A B\n",
                StandardCharsets.UTF_8);
        Files.write(dataset.resolve("features/dev/" + p + "-array.npy"), LandmarkSamples.npyWithoutRightHand(4));

        String location = given().contentType("application/json").body(Map.of("directory", dataset.toString()))
                .when().post("/imports").then().statusCode(202).extract().header("Location");
        JsonPath job = awaitFinished(location);
        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertEquals(List.of(p + "-array", p + "-example"),
                job.getList("acceptedSamples.sampleId", String.class).stream().sorted().toList());
        Map<String, String> refused = new TreeMap<>();
        for (Map<String, Object> refusal : job.<Map<String, Object>>getList("refusedSamples")) {
            refused.put((String) refusal.get("sampleId"), (String) refusal.get("reason"));
        }
        assertEquals(broken.size(), refused.size(), job.prettify());
        broken.keySet().forEach(reason -> assertEquals(reason,
                refused.get(p + "-" + reason.toLowerCase(java.util.Locale.ROOT).replace('_', '-'))));

        assertTheRecording(published(p + "-example"), "import:train/" + p + "-example.pose");
        assertEquals(4, published(p + "-array").getFrameCount());
        List<String> keys = TopicContents.keys(new TopicProbe(bootstrapServers), RAW);
        refused.keySet().forEach(id -> assertFalse(keys.contains(id), id + " must not be on " + RAW));
    }

    /** The hand-checked values of shared/fixtures/pose/example.pose (see HolisticDerivationTest). */
    private static void assertTheRecording(FeatureSample sample, String source) {
        assertEquals(97, sample.getFrameCount());
        assertEquals(D, sample.getFeatureDims());
        assertEquals(source, sample.getSource());
        assertEquals(NormalizationStamp.State.NONE, sample.getNormalization().getState());
        assertEquals("holistic-landmarks@v1{confidence=zero-means-missing, fps=25.0, frame_height=240, "
                + "frame_width=320, input=pose-format 0.2}", FeatureDerivations.describe(sample));
        float[] f = values(sample);
        // frame 0 NOSE (162.82692, 63.49268, -0.91396254) px in a 320 x 240 frame
        assertEquals(0.5088341f, f[0], 1e-7f);
        assertEquals(0.26455283f, f[1], 1e-7f);
        assertEquals(-0.91396254f, f[2]);
        // frame 17 left wrist (223.98395, 189.44897) px: the hand's first detected frame
        assertEquals(0.69994986f, f[17 * D + LEFT_WRIST], 1e-7f);
        assertEquals(0.78937072f, f[17 * D + LEFT_WRIST + 1], 1e-7f);
        int leftMissing = 0;
        int rightMissing = 0;
        for (int t = 0; t < 97; t++) {
            leftMissing += zeros(f, t * D + LEFT_WRIST, 63) ? 1 : 0;
            rightMissing += zeros(f, t * D + RIGHT_WRIST, 63) ? 1 : 0;
        }
        assertEquals(52, leftMissing, "frames whose left hand is exact zeros (confidence 0 in the file)");
        assertEquals(53, rightMissing, "frames whose right hand is exact zeros");
        for (int i = 0; i < f.length; i++) {
            assertTrue(Float.isFinite(f[i]), "value " + i + " is " + f[i]);
        }
    }

    private FeatureSample published(String id) {
        return FeatureSampleCodec.decode(new TopicProbe(bootstrapServers).awaitKey(RAW, id, Duration.ofSeconds(30))
                .value());
    }

    private static float[] values(FeatureSample sample) {
        FloatBuffer buffer = sample.getFeatures().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static boolean zeros(float[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (Float.floatToRawIntBits(values[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static JsonPath awaitFinished(String location) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            JsonPath job = given().when().get(location).then().statusCode(200).extract().jsonPath();
            if (List.of("COMPLETED", "FAILED").contains(job.getString("status"))) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("import did not finish within 60 s: " + job.prettify());
            }
            Thread.sleep(100);
        }
    }
}
