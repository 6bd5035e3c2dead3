package io.signstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@code ./signstream demo} does, with the tiny data set: every process of the stack started, the data set
 * published, normalized, trained on, evaluated, the report written, and everything stopped cleanly afterwards.
 */
@Tag("slow")
class DemoFlowTest {

    @Test
    void tinyDemoRunsEndToEndAndStopsEverything() throws Exception {
        LauncherSettings settings = StackFixture.isolatedSettings();
        Stack stack = new Stack(settings, new Progress(System.out));

        Map<String, Object> report = new Demo(stack, settings, new Progress(System.out)).run(Demo.Size.tiny(), false);

        JsonNode written = new ObjectMapper().readTree(settings.home().resolve("demo/report.json").toFile());
        assertEquals(report.get("runId"), written.path("runId").asText());
        assertEquals(40, written.path("published").asInt(), "24 train + 8 dev + 8 test samples");
        assertEquals(0, written.path("refusedAtIngest").asInt());
        assertEquals(Demo.Size.tiny().epochs(), written.path("lossPerEpoch").size());
        for (String split : List.of("dev", "test")) {
            JsonNode scores = written.path(split);
            double wer = scores.path("wer").asDouble(Double.NaN);
            assertTrue(wer >= 0 && wer < 1.0, split + " WER is a number below 100%: " + wer);
            long errors = scores.path("substitutions").asLong() + scores.path("deletions").asLong()
                    + scores.path("insertions").asLong();
            assertEquals(wer, (double) errors / scores.path("referenceLength").asLong(), 1e-9, "WER = (S+D+I)/N");
        }
        assertTrue(Files.size(Path.of(written.path("curves").asText())) > 1000, "training curves PNG written");

        assertTrue(written.path("stoppedCleanly").asBoolean(), "every process stopped on SIGTERM, none killed");
        written.path("processes").fields().forEachRemaining(process -> assertFalse(
                ProcessHandle.of(process.getValue().asLong()).map(ProcessHandle::isAlive).orElse(false),
                process.getKey() + " still running"));
        assertEquals(6, written.path("processes").size(), "Kafka, object store and four services");
        assertFalse(stack.isUp());
        assertTrue(stack.state().isEmpty(), "down removed the stack state");
        assertTrue(stack.status().get(0).startsWith("not running"));
    }
}
