package io.signstream.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint written by the teacher before the output stride was an option (src/test/resources/legacy-checkpoint:
 * config.json without temporalStride, parameters.bin, and the log-probabilities that build computed for a fixed
 * input) loads and gives the same outputs. The fixture was written by WriteLegacy.java.txt beside it, run against
 * the commit before the stride option (0064a99) with DNNL_MAX_CPU_ISA=SSE41.
 */
class LegacyCheckpointTest {

    @Test
    void aCheckpointFromBeforeTheStrideOptionLoadsAndEvaluatesTheSame() throws IOException {
        TeacherConfig config = TeacherConfig.fromJson(read("config.json"));
        assertEquals(16, config.temporalStride());
        assertFalse(config.temporalAttention());
        JsonNode expected = new ObjectMapper().readTree(read("expected-log-probs.json"));
        try (TeacherSession session = TeacherSession.create(config, 3, 1)) {
            try (InputStream in = resource("parameters.bin")) {
                session.loadParameters(in);
            }
            int[] frames = {expected.get("frames").get(0).asInt(), expected.get("frames").get(1).asInt()};
            List<float[][]> logProbs = session.logProbs(TestBatches.batch(frames, null, expected.get("seed").asLong()));
            for (int b = 0; b < frames.length; b++) {
                JsonNode sample = expected.get("logProbs").get(b);
                assertEquals(sample.size(), logProbs.get(b).length);
                for (int t = 0; t < sample.size(); t++) {
                    float[] row = new float[sample.get(t).size()];
                    for (int c = 0; c < row.length; c++) {
                        row[c] = (float) sample.get(t).get(c).asDouble();
                    }
                    assertArrayEquals(row, logProbs.get(b)[t], 1e-5f, "sample " + b + " frame " + t);
                }
            }
        }
    }

    @Test
    void newFieldsRoundTrip() {
        TeacherConfig config = TeacherConfig.small().withTemporalStride(1).withTemporalAttention(true);
        assertEquals(config, TeacherConfig.fromJson(config.toJson()));
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        }
    }

    private static InputStream resource(String name) {
        InputStream in = LegacyCheckpointTest.class.getResourceAsStream("/legacy-checkpoint/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource legacy-checkpoint/" + name);
        }
        return in;
    }
}
