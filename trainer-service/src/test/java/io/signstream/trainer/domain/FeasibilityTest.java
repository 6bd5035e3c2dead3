package io.signstream.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.signstream.teacher.TeacherConfig;

class FeasibilityTest {

    private static Feasibility.Tally phoenixLike(TeacherConfig model) {
        Feasibility.Tally tally = new Feasibility.Tally(model);
        for (int i = 0; i < 18; i++) {
            tally.add(List.of("A", "B", "C"), 200); // 13 outputs at stride 16
        }
        // 2 of 20 (10%) cannot be aligned at stride 16, all can at 4
        tally.add(SamplePreparerTest.PHOENIX_GLOSSES, SamplePreparerTest.PHOENIX_FRAMES);
        tally.add(SamplePreparerTest.PHOENIX_GLOSSES, SamplePreparerTest.PHOENIX_FRAMES);
        return tally;
    }

    @Test
    void countsEveryStrideAndNamesTheLargestThatFits() {
        Feasibility at16 = phoenixLike(TeacherConfig.small().withTemporalStride(16)).result(16, 0.05);
        assertEquals(20, at16.samples());
        assertEquals(2, at16.unalignable());
        assertEquals(0.1, at16.unalignableShare(), 1e-12);
        assertEquals(Map.of(1, 0L, 4, 0L, 16, 2L), at16.unalignableByStride());
        assertEquals(4, at16.fittingStride());
        assertFalse(at16.withinLimit());
        String refusal = at16.refusal();
        assertTrue(refusal.contains("2 of 20 train samples (10.0%) cannot be aligned at temporalStride 16"), refusal);
        assertTrue(refusal.contains("5.0%"), refusal);
        assertTrue(refusal.contains("\"temporalStride\": 4"), refusal);
        assertEquals(Map.of("temporal_stride", 16.0, "unalignable_samples", 2.0, "unalignable_share", 0.1),
                at16.metrics());

        // the counts do not depend on the stride the tally's model was built with
        Feasibility at4 = phoenixLike(TeacherConfig.small()).result(4, 0.05);
        assertEquals(0, at4.unalignable());
        assertTrue(at4.withinLimit());
        assertEquals(Map.of(1, 0L, 4, 0L, 16, 2L), at4.unalignableByStride());

        // a looser limit accepts stride 16
        Feasibility loose = phoenixLike(TeacherConfig.small()).result(16, 0.25);
        assertTrue(loose.withinLimit());
        assertEquals(16, loose.fittingStride());
    }

    @Test
    void saysSoWhenNoStrideFits() {
        Feasibility.Tally tally = new Feasibility.Tally(TeacherConfig.small());
        tally.add(List.of("A", "B", "C"), 2);
        tally.add(List.of("A", "B"), 40);
        Feasibility result = tally.result(4, 0.05);
        assertEquals(0.5, result.unalignableShare(), 1e-12);
        assertNull(result.fittingStride());
        assertTrue(result.refusal().contains("no temporalStride fits"), result.refusal());
    }

    @Test
    void aRunStartedBeforeTheLimitExistedResumesWithoutOne() throws Exception {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        RunOptions options = new RunOptions(1, 2, 1e-3f, -1, 1L, "small", TeacherConfig.small(), 600, 5);
        assertEquals(Feasibility.DEFAULT_MAX_UNALIGNABLE_SHARE, options.maxUnalignableShare());
        assertEquals(options, json.readValue(json.writeValueAsBytes(options), RunOptions.class));
        String old = json.writeValueAsString(options).replace("\"maxUnalignableShare\":0.05", "\"unknown\":1");
        assertEquals(1.0, json.readValue(old, RunOptions.class).maxUnalignableShare());
    }

    @Test
    void speedPerturbationTravelsInRunJsonAndIsOffForOlderRuns() throws Exception {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        RunOptions options = new RunOptions(1, 2, 1e-3f, -1, 1L, "small", TeacherConfig.small(), 600, 5, 0.05,
                new io.signstream.teacher.SpeedPerturbation(0.7, 1.4));
        RunOptions read = json.readValue(json.writeValueAsBytes(options), RunOptions.class);
        assertEquals(options, read);
        assertEquals(1.4, read.speedPerturbation().maxFactor());
        String old = json.writeValueAsString(options).replaceAll("\"speedPerturbation\":\\{[^}]*\\}", "\"unknown\":1");
        assertTrue(!old.contains("speedPerturbation"), old);
        assertTrue(!json.readValue(old, RunOptions.class).speedPerturbation().enabled());
    }
}
