package io.signstream.ingest.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.signstream.ingest.domain.IngestInstance;
import io.signstream.ingest.support.RunsAfterTheOthers;
import io.signstream.localstack.LocalStackTestResource;
import io.signstream.localstack.TestTokens;

/**
 * A restarted ingest service (its own test profile makes Quarkus boot a new instance on the same broker; it runs
 * after the module's other classes, {@link RunsAfterTheOthers}, and needs ImportStateTest among them): the imports of
 * the previous instance are answered from ingest.imports, with their lists, and so is the job of the dead instance
 * ImportStateTest wrote.
 */
@QuarkusTest
@RunsAfterTheOthers
@TestProfile(ImportStateRestartTest.Restarted.class)
@WithTestResource(LocalStackTestResource.class)
class ImportStateRestartTest {

    public static class Restarted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // only to make this profile differ from the default one: a new application instance
            return Map.of("signstream.ingest.import.log-every", "99");
        }
    }

    @Inject
    IngestInstance instance;

    @BeforeEach
    void authenticate() {
        TestTokens.restAssuredAsEveryRole();
    }

    @Test
    void importsOfThePreviousInstanceAreAnsweredAfterTheRestart() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<Map<String, Object>> previous = List.of();
        while (previous.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            previous = given().when().get("/imports").then().statusCode(200).extract().jsonPath()
                    .<Map<String, Object>>getList("").stream()
                    .filter(job -> "COMPLETED".equals(job.get("status")) && !instance.id().equals(job.get("owner")))
                    .toList();
        }
        assertFalse(previous.isEmpty(), "no completed import of the previous instance listed after the restart");
        for (Map<String, Object> listed : previous) {
            assertNotEquals(instance.id(), listed.get("owner"));
            JsonPath job = given().when().get("/imports/" + listed.get("id")).then().statusCode(200).extract().jsonPath();
            assertEquals("COMPLETED", job.getString("status"));
            assertEquals(job.getInt("published"), job.getList("acceptedSamples").size(), job.prettify());
            assertEquals(job.getInt("refused"), job.getList("refusedSamples").size(), job.prettify());
        }
        JsonPath dead = given().when().get("/imports/" + ImportStateTest.DEAD_JOB).then().statusCode(200).extract()
                .jsonPath();
        assertEquals("INTERRUPTED", dead.getString("status"));
        assertTrue(dead.getString("failure").contains(ImportStateTest.DEAD_INSTANCE));
    }
}
