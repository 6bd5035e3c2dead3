package io.signstream.ingest.api;

import static io.restassured.RestAssured.given;
import static io.signstream.ingest.support.ImportJobs.awaitFinished;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.signstream.contract.FeatureSampleCodec;
import io.signstream.contract.npy.Npy;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;
import io.signstream.ingest.support.TestSamples;
import io.signstream.ingest.support.TopicContents;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;
import io.signstream.localstack.TopicProbe;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class ImportResourceTest {

    /** This class tests what the endpoints do; who may call them is AuthorizationTest's. */
    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    private static final String RAW = "features.raw";

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
    void importPublishesTheValidSamplesAndReportsEveryRefusedOneWithItsReason() throws Exception {
        String p = TestSamples.uniqueId("phx");
        // train: features next to the corpus file, {root}/train/{id}.npy|npz
        write("train.corpus.csv", """
                id|folder|signer|annotation
                %1$s-t1|%1$s-t1/1/*.png|Signer01|__ON__ LIEB ZUSCHAUER
                %1$s-t2|%1$s-t2/1/*.png|Signer02|C D
                %1$s-nan|%1$s-nan/1/*.png|Signer01|A
                %1$s-missing|%1$s-missing/1/*.png|Signer01|A
                %1$s-t1|%1$s-t1/1/*.png|Signer01|A
                %1$s-empty|%1$s-empty/1/*.png|Signer01|
                %1$s-dims|%1$s-dims/1/*.png|Signer01|A
                only|two fields
                ../escape|x|Signer01|A
                """.formatted(p));
        feature("train/" + p + "-t1.npy", Npy.toBytes(TestSamples.matrix(3)));
        feature("train/" + p + "-t2.npz", Npy.toNpzBytes(Map.of("features", TestSamples.matrix(2))));
        feature("train/" + p + "-nan.npy", TestSamples.npyWith(2, 1, 7, Float.NaN));
        feature("train/" + p + "-empty.npy", TestSamples.npy(2));
        feature("train/" + p + "-dims.npy", Npy.toBytes(TestSamples.matrix(2, 6515)));
        // dev: features under {root}/features/dev/
        write("dev.corpus.csv", """
                id|folder|signer|annotation
                %1$s-d1|%1$s-d1/1/*.png|Signer03|E F
                %1$s-d64|%1$s-d64/1/*.png|Signer03|E
                """.formatted(p));
        feature("features/dev/" + p + "-d1.npy", TestSamples.npy(1));
        feature("features/dev/" + p + "-d64.npy", fixture("float64_2x3.npy"));

        String location = given().contentType("application/json")
                .body(Map.of("directory", dataset.toString()))
                .when().post("/imports")
                .then().statusCode(202)
                .header("Location", containsString("/imports/"))
                .body("id", notNullValue())
                .body("splits", equalTo(List.of("train", "dev")))
                .body("total", equalTo(11))
                .extract().header("Location");

        JsonPath job = awaitFinished(location);
        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertEquals(11, job.getInt("processed"));
        assertEquals(3, job.getInt("published"));
        assertEquals(8, job.getInt("refused"));
        assertEquals(1.0, job.getDouble("progress"));
        assertEquals(Map.of("total", 9, "published", 2, "refused", 7), job.getMap("perSplit.train"));
        assertEquals(Map.of("total", 2, "published", 1, "refused", 1), job.getMap("perSplit.dev"));
        assertNull(job.get("failure"));

        Set<String> accepted = Set.copyOf(job.getList("acceptedSamples.sampleId", String.class));
        assertEquals(Set.of(p + "-t1", p + "-t2", p + "-d1"), accepted);

        Map<String, String> refusedById = new HashMap<>();
        for (Map<String, Object> refusal : job.<Map<String, Object>>getList("refusedSamples")) {
            refusedById.put(refusal.get("split") + ":" + refusal.get("line") + ":" + refusal.get("sampleId"),
                    (String) refusal.get("reason"));
            assertFalse(((String) refusal.get("detail")).isBlank(), "every refusal says why: " + refusal);
        }
        assertEquals(Map.of(
                "train:4:" + p + "-nan", "NON_FINITE",
                "train:5:" + p + "-missing", "MISSING_FILE",
                "train:6:" + p + "-t1", "DUPLICATE_ID",
                "train:7:" + p + "-empty", "EMPTY_GLOSSES",
                "train:8:" + p + "-dims", "WRONG_DIMS",
                "train:9:null", "BAD_CORPUS_LINE",
                "train:10:../escape", "BAD_SAMPLE_ID",
                "dev:3:" + p + "-d64", "UNSUPPORTED_FORMAT"), refusedById);
        String missingDetail = job.getString("refusedSamples.find { it.reason == 'MISSING_FILE' }.detail");
        assertTrue(missingDetail.contains("train/" + p + "-missing.npy")
                && missingDetail.contains("features/train/" + p + "-missing.npz"), missingDetail);

        List<ConsumerRecord<String, byte[]>> onTopic = TopicContents.readToEnd(new TopicProbe(bootstrapServers), RAW)
                .stream().filter(r -> r.key().startsWith(p)).toList();
        assertEquals(List.of(p + "-d1", p + "-t1", p + "-t2"), onTopic.stream().map(ConsumerRecord::key).sorted().toList(),
                "exactly the valid samples, each once");
        Map<String, FeatureSample> samples = onTopic.stream()
                .collect(Collectors.toMap(ConsumerRecord::key, r -> FeatureSampleCodec.decode(r.value())));
        FeatureSample t1 = samples.get(p + "-t1");
        assertEquals(Split.TRAIN, t1.getSplit());
        assertEquals(List.of("__ON__", "LIEB", "ZUSCHAUER"), t1.getGlossesList());
        assertEquals("Signer01", t1.getSigner());
        assertEquals(3, t1.getFrameCount());
        assertEquals(NormalizationStamp.State.NONE, t1.getNormalization().getState());
        assertEquals("import:train/" + p + "-t1.npy", t1.getSource());
        assertEquals("import:train/" + p + "-t2.npz", samples.get(p + "-t2").getSource());
        FeatureSample d1 = samples.get(p + "-d1");
        assertEquals(Split.DEV, d1.getSplit());
        assertEquals(List.of("E", "F"), d1.getGlossesList());
        assertEquals("import:features/dev/" + p + "-d1.npy", d1.getSource());

        String id = job.getString("id");
        given().when().get("/imports").then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void onlyTheRequestedSplitsAreImported() throws Exception {
        String p = TestSamples.uniqueId("split");
        write("train.corpus.csv", "id|folder|signer|annotation\n" + p + "-tr|f|S1|A\n");
        write("test.corpus.csv", "id|folder|signer|annotation\n" + p + "-te|f|S1|B\n");
        feature("train/" + p + "-tr.npy", TestSamples.npy(1));
        feature("test/" + p + "-te.npy", TestSamples.npy(1));

        String location = given().contentType("application/json")
                .body(Map.of("directory", dataset.toString(), "splits", List.of("test")))
                .when().post("/imports").then().statusCode(202).extract().header("Location");
        JsonPath job = awaitFinished(location);
        assertEquals("COMPLETED", job.getString("status"));
        assertEquals(List.of(p + "-te"), job.getList("acceptedSamples.sampleId"));
        List<String> keys = TopicContents.keys(new TopicProbe(bootstrapServers), RAW);
        assertTrue(keys.contains(p + "-te"));
        assertFalse(keys.contains(p + "-tr"));
    }

    @Test
    void missingDirectoryIsRefusedAtOnce() {
        given().contentType("application/json").body(Map.of("directory", dataset.resolve("nope").toString()))
                .when().post("/imports")
                .then().statusCode(404).body("reason", equalTo("DIRECTORY_NOT_FOUND"))
                .body("detail", containsString("no dataset folder"));
    }

    @Test
    void directoryWithoutCorpusFileIsRefusedAtOnce() {
        given().contentType("application/json").body(Map.of("directory", dataset.toString()))
                .when().post("/imports")
                .then().statusCode(404).body("reason", equalTo("NO_CORPUS_FILE"))
                .body("detail", containsString("train.corpus.csv"));
    }

    @Test
    void requestedSplitWithoutCorpusFileOrUnknownSplitIsRefused() throws IOException {
        write("train.corpus.csv", "id|folder|signer|annotation\n");
        given().contentType("application/json").body(Map.of("directory", dataset.toString(), "splits", List.of("dev")))
                .when().post("/imports")
                .then().statusCode(404).body("reason", equalTo("NO_CORPUS_FILE"));
        given().contentType("application/json")
                .body(Map.of("directory", dataset.toString(), "splits", List.of("validation")))
                .when().post("/imports")
                .then().statusCode(400).body("reason", equalTo("BAD_SPLIT"));
    }

    @Test
    void corpusWithoutTheExpectedHeaderIsRefusedAtOnce() throws IOException {
        write("train.corpus.csv", "name|video|start|end|speaker|orth|translation\nx|y|1|2|S|A|a\n");
        given().contentType("application/json").body(Map.of("directory", dataset.toString()))
                .when().post("/imports")
                .then().statusCode(400).body("reason", equalTo("BAD_CORPUS_FILE"))
                .body("detail", containsString("id|folder|signer|annotation"));
    }

    @Test
    void requestWithoutDirectoryIsMalformed() {
        given().contentType("application/json").body("{}")
                .when().post("/imports")
                .then().statusCode(400).body("reason", equalTo("MISSING_DIRECTORY"));
    }

    @Test
    void unknownImportIdIs404() {
        given().when().get("/imports/does-not-exist")
                .then().statusCode(404).body("reason", equalTo("NO_SUCH_IMPORT"));
    }

    private void write(String relative, String text) throws IOException {
        Files.writeString(dataset.resolve(relative), text, StandardCharsets.UTF_8);
    }

    private void feature(String relative, byte[] bytes) throws IOException {
        Path file = dataset.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = ImportResourceTest.class.getResourceAsStream("/npy/" + name)) {
            return in.readAllBytes();
        }
    }
}
