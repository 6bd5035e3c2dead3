package io.signstream.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.npy.FeatureMatrix;
import io.signstream.contract.npy.Npy;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;
import io.signstream.ingest.support.Multipart;
import io.signstream.ingest.support.TestSamples;
import io.signstream.ingest.support.TopicContents;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.signstream.rest.Roles;
import io.signstream.localstack.TopicProbe;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class SampleResourceTest {

    /** This class tests what the endpoints do; who may call them is AuthorizationTest's. */
    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    private static final String RAW = "features.raw";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/samples")
    URI samplesUri;

    static ValidatableResponse upload(String fileName, byte[] file, String sampleId, String split, String glosses) {
        var request = given().multiPart("file", fileName, file, "application/octet-stream")
                .multiPart("split", split).multiPart("glosses", glosses);
        if (sampleId != null) {
            request.multiPart("sampleId", sampleId);
        }
        return request.when().post("/samples").then();
    }

    @Test
    void validUploadLandsOnRawTopicWithEveryFieldAndStampNone() {
        String id = TestSamples.uniqueId("valid");
        byte[] npy = TestSamples.npy(4);
        var answer = given().multiPart("file", id + ".npy", npy, "application/octet-stream")
                .multiPart("sampleId", id).multiPart("split", "train")
                .multiPart("glosses", "  __ON__ LIEB ZUSCHAUER  loc-NORD ").multiPart("signer", "Signer04")
                .when().post("/samples")
                .then().statusCode(201)
                .body("sampleId", equalTo(id)).body("split", equalTo("train")).body("frames", equalTo(4))
                .body("topic", equalTo(RAW)).body("partition", greaterThanOrEqualTo(0))
                .body("offset", greaterThanOrEqualTo(0))
                .extract();

        ConsumerRecord<String, byte[]> record = new TopicProbe(bootstrapServers).awaitKey(RAW, id, Duration.ofSeconds(30));
        assertEquals((int) answer.path("partition"), record.partition());
        assertEquals(((Number) answer.path("offset")).longValue(), record.offset());

        FeatureSample sample = FeatureSampleCodec.decode(record.value());
        assertEquals(id, sample.getSampleId());
        assertEquals(Split.TRAIN, sample.getSplit());
        assertEquals(List.of("__ON__", "LIEB", "ZUSCHAUER", "loc-NORD"), sample.getGlossesList());
        assertEquals(4, sample.getFrameCount());
        assertEquals(6516, sample.getFeatureDims());
        assertEquals("Signer04", sample.getSigner());
        assertEquals("upload:" + id + ".npy", sample.getSource());
        assertTrue(sample.hasNormalization());
        assertEquals(NormalizationStamp.State.NONE, sample.getNormalization().getState());
        assertEquals("", sample.getNormalization().getMethod());
        // The wire tensor is the .npy's data section byte for byte (both float32 little-endian, row-major).
        byte[] npyData = Arrays.copyOfRange(npy, npy.length - 4 * 6516 * 4, npy.length);
        assertArrayEquals(npyData, sample.getFeatures().toByteArray());
        ByteBuffer values = sample.getFeatures().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0f, values.getFloat(0));
        assertEquals(3 + 6515 / 10000f, values.getFloat((3 * 6516 + 6515) * 4));
    }

    @Test
    void longSampleOverKafkaAndQuarkusDefaultLimitsIsAccepted() {
        // 500 frames = 13 MB: beyond Quarkus' default 10M body limit and Kafka's default 1 MiB record limit.
        String id = TestSamples.uniqueId("long");
        upload(id + ".npy", TestSamples.npy(500), id, "train", "A B").statusCode(201).body("frames", equalTo(500));
        FeatureSample sample = FeatureSampleCodec.decode(
                new TopicProbe(bootstrapServers).awaitKey(RAW, id, Duration.ofSeconds(30)).value());
        assertEquals(500, sample.getFrameCount());
        assertEquals(500 * 6516 * 4, sample.getFeatures().size());
    }

    @Test
    void npzWithFeaturesKeyIsAcceptedAndOtherArraysIgnored() {
        String id = TestSamples.uniqueId("npz");
        Map<String, FeatureMatrix> arrays = new LinkedHashMap<>();
        arrays.put("detection_masks", new FeatureMatrix(3, 2, new float[6]));
        arrays.put("features", TestSamples.matrix(3));
        upload("sample.npz", Npy.toNpzBytes(arrays), id, "dev", "A B").statusCode(201)
                .body("split", equalTo("dev")).body("frames", equalTo(3));

        FeatureSample sample = FeatureSampleCodec.decode(
                new TopicProbe(bootstrapServers).awaitKey(RAW, id, Duration.ofSeconds(30)).value());
        assertEquals(Split.DEV, sample.getSplit());
        assertEquals(3, sample.getFrameCount());
        assertEquals(3 * 6516 * 4, sample.getFeatures().size());
    }

    @Test
    void sampleIdDefaultsToTheFileName() {
        String id = TestSamples.uniqueId("named");
        upload(id + ".npy", TestSamples.npy(1), null, "test", "X").statusCode(201).body("sampleId", equalTo(id));
    }

    static Stream<Arguments> refusals() throws IOException {
        return Stream.of(
                Arguments.of("NaN in the data", "a.npy", TestSamples.npyWith(3, 1, 150, Float.NaN), "train", "A B",
                        "NON_FINITE", "frame 1, column 150 (hands)"),
                Arguments.of("+Inf in the data", "a.npy", TestSamples.npyWith(2, 0, 5000, Float.POSITIVE_INFINITY),
                        "train", "A", "NON_FINITE", "temporal"),
                Arguments.of("-Inf in the data", "a.npy", TestSamples.npyWith(2, 1, 0, Float.NEGATIVE_INFINITY),
                        "train", "A", "NON_FINITE", "pose"),
                Arguments.of("6515 feature dims", "a.npy", Npy.toBytes(TestSamples.matrix(2, 6515)), "train", "A",
                        "WRONG_DIMS", "6515 feature dims"),
                Arguments.of("zero frames", "a.npy", Npy.toBytes(new FeatureMatrix(0, 6516, new float[0])), "train",
                        "A", "NO_FRAMES", "0 frames"),
                Arguments.of("float64 .npy (numpy-written)", "a.npy", fixture("float64_2x3.npy"), "train", "A",
                        "UNSUPPORTED_FORMAT", "'<f8' is not supported"),
                Arguments.of("Fortran-order .npy (numpy-written)", "a.npy", fixture("fortran_2x3.npy"), "train", "A",
                        "UNSUPPORTED_FORMAT", "Fortran-order"),
                // a 3-D array is taken for landmarks [T, 543, 3|4]; (2, 3, 4) has 3 points a frame
                Arguments.of("3-D .npy (numpy-written)", "a.npy", fixture("three_d.npy"), "train", "A",
                        "WRONG_POINT_COUNT", "3 points per frame"),
                Arguments.of("big-endian .npy (numpy-written)", "a.npy", fixture("big_endian.npy"), "train", "A",
                        "UNSUPPORTED_FORMAT", "'>f4'"),
                Arguments.of("not a numpy file", "a.npy", "id|folder\n".getBytes(), "train", "A",
                        "UNSUPPORTED_FORMAT", "not a .npy file"),
                Arguments.of(".npz without 'features'", "a.npz",
                        Npy.toNpzBytes(Map.of("x", TestSamples.matrix(1))), "train", "A",
                        "UNSUPPORTED_FORMAT", "no 'features' or 'landmarks' array"),
                Arguments.of("empty gloss annotation", "a.npy", TestSamples.npy(2), "train", "   ",
                        "EMPTY_GLOSSES", "empty gloss annotation"),
                Arguments.of("gloss with the corpus separator", "a.npy", TestSamples.npy(2), "train", "A|B",
                        "BAD_GLOSS", "'A|B'"),
                Arguments.of("unknown split", "a.npy", TestSamples.npy(2), "validation", "A",
                        "BAD_SPLIT", "'validation' is not one of train, dev, test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void badSampleIsRefusedWithReasonAndTheNextGoodOneIsAccepted(String name, String fileName, byte[] file,
            String split, String glosses, String reason, String detailFragment) {
        String refusedId = TestSamples.uniqueId("refused");
        upload(fileName, file, refusedId, split, glosses)
                .statusCode(422)
                .contentType("application/json")
                .body("reason", equalTo(reason))
                .body("detail", containsString(detailFragment));

        String goodId = TestSamples.uniqueId("after-refusal");
        upload("good.npy", TestSamples.npy(2), goodId, "train", "A B").statusCode(201);

        List<String> keys = TopicContents.keys(new TopicProbe(bootstrapServers), RAW);
        assertTrue(keys.contains(goodId), "the good sample after the refusal is on " + RAW);
        assertFalse(keys.contains(refusedId), "the refused sample must not be on " + RAW);
    }

    @Test
    void badSampleIdIsRefusedBeforeAnythingElse() {
        upload("a.npy", TestSamples.npy(1), "../../etc/passwd", "train", "A").statusCode(422)
                .body("reason", equalTo("BAD_SAMPLE_ID")).body("detail", containsString("does not match"));
    }

    @Test
    void missingFilePartIsAMalformedRequest() {
        given().multiPart("sampleId", TestSamples.uniqueId("nofile")).multiPart("split", "train")
                .multiPart("glosses", "A")
                .when().post("/samples")
                .then().statusCode(400).body("reason", equalTo("MISSING_FILE"))
                .body("detail", containsString("'file'"));
    }

    @Test
    void bodyOverTheLimitGets413WithReasonAndTheServiceKeepsAccepting() throws Exception {
        byte[] oversized = new byte[21 * 1024 * 1024];
        Arrays.fill(oversized, (byte) 7);
        String refusedId = TestSamples.uniqueId("oversized");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<String> refused = post(client, new Multipart().field("sampleId", refusedId)
                .field("split", "train").field("glosses", "A").file("file", "big.npy", oversized));
        assertEquals(413, refused.statusCode());
        assertEquals("application/json", refused.headers().firstValue("Content-Type").orElse(""));
        JsonNode error = new ObjectMapper().readTree(refused.body());
        assertEquals("TOO_LARGE", error.path("reason").asText());
        assertTrue(error.path("detail").asText().contains("the limit is 20971520 bytes"), error.toString());

        // Same client, so the same connection where it was kept open: the service answers the next upload.
        String goodId = TestSamples.uniqueId("after-oversized");
        HttpResponse<String> accepted = post(client, new Multipart().field("sampleId", goodId)
                .field("split", "train").field("glosses", "A").file("file", "good.npy", TestSamples.npy(2)));
        assertEquals(201, accepted.statusCode(), accepted.body());

        List<String> keys = TopicContents.keys(new TopicProbe(bootstrapServers), RAW);
        assertTrue(keys.contains(goodId));
        assertFalse(keys.contains(refusedId));
    }

    @Test
    void chunkedBodyOverTheLimitGets413() {
        // RestAssured streams multipart bodies chunked (no Content-Length): Quarkus' own limit answers 413.
        byte[] oversized = new byte[21 * 1024 * 1024];
        upload("big.npy", oversized, TestSamples.uniqueId("chunked"), "train", "A").statusCode(413);
        upload("good.npy", TestSamples.npy(1), TestSamples.uniqueId("after-chunked"), "train", "A").statusCode(201);
    }

    private HttpResponse<String> post(HttpClient client, Multipart form) throws Exception {
        return client.send(HttpRequest.newBuilder(samplesUri).header("Content-Type", form.contentType())
                .header("Authorization", "Bearer " + TestTokens.withRoles(Roles.PUBLISHER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = SampleResourceTest.class.getResourceAsStream("/npy/" + name)) {
            return in.readAllBytes();
        }
    }
}
