package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The trainer asks for a GPU in the gpu overlay only, and there finds the CUDA build of libtorch. */
class GpuTrainerTest {

    private static final String GPU = "nvidia.com/gpu";

    private static List<String> gpuRequests(Manifests m) {
        List<String> requesting = new ArrayList<>();
        for (Map.Entry<String, JsonNode> workload : m.workloads().entrySet()) {
            for (JsonNode container : Manifests.containers(workload.getValue())) {
                JsonNode resources = container.path("resources");
                if (resources.path("limits").has(GPU) || resources.path("requests").has(GPU)) {
                    requesting.add(workload.getKey() + "/" + container.path("name").asText());
                }
            }
        }
        return requesting;
    }

    private static JsonNode trainer(Manifests m) {
        return Manifests.container(m.get("Deployment", Repository.TRAINER), Repository.TRAINER);
    }

    @Test
    void onlyTheTrainerInTheGpuOverlayRequestsAGpu() {
        assertEquals(List.of(), gpuRequests(Manifests.overlay("dev")), "GPU requests in the dev overlay");
        assertEquals(List.of("Deployment/" + Repository.TRAINER + "/" + Repository.TRAINER),
                gpuRequests(Manifests.overlay("gpu")), "GPU requests in the gpu overlay");
        JsonNode resources = trainer(Manifests.overlay("gpu")).path("resources");
        assertEquals(1, resources.path("limits").path(GPU).asInt(), "the device plugin schedules GPUs by limit");
        if (resources.path("requests").has(GPU)) {
            assertEquals(1, resources.path("requests").path(GPU).asInt(), "GPU request must equal the limit");
        }
    }

    @Test
    void theGpuTrainerLandsOnGpuNodes() {
        JsonNode pod = Manifests.podSpec(Manifests.overlay("gpu").get("Deployment", Repository.TRAINER));
        assertFalse(pod.path("nodeSelector").isEmpty() && pod.path("affinity").isEmpty(), "no GPU node selection");
        boolean tolerates = false;
        for (JsonNode toleration : pod.path("tolerations")) {
            tolerates |= GPU.equals(toleration.path("key").asText());
        }
        assertTrue(tolerates, "the trainer must tolerate the " + GPU + " taint of GPU nodes");
        assertTrue(Manifests.podSpec(Manifests.overlay("dev").get("Deployment", Repository.TRAINER))
                .path("tolerations").isEmpty(), "the dev trainer has no GPU toleration");
    }

    @Test
    void djlFindsTheCudaLibtorchOfTheImageOnGpuPodsAndTheClasspathOneElsewhere() {
        Map<String, String> gpuEnv = PodEnvironment.of(Manifests.overlay("gpu"), trainer(Manifests.overlay("gpu"))).variables;
        String dockerfile = Repository.read(Repository.dockerfile(Repository.TRAINER));

        String libraryPath = gpuEnv.get("PYTORCH_LIBRARY_PATH");
        assertTrue(libraryPath != null && !libraryPath.isBlank(), "gpu trainer sets no PYTORCH_LIBRARY_PATH");
        assertTrue(dockerfile.contains(libraryPath), "PYTORCH_LIBRARY_PATH=" + libraryPath
                + " is not a directory the trainer's Dockerfile.jvm creates");
        assertEquals("cu128", gpuEnv.get("PYTORCH_FLAVOR"), "PYTORCH_FLAVOR");
        String pytorchVersion = parentPomProperty("pytorch.version");
        assertEquals(pytorchVersion, gpuEnv.get("PYTORCH_VERSION"), "PYTORCH_VERSION must be the build's PyTorch version");
        assertTrue(dockerfile.contains(pytorchVersion + "%2Bcu128") || dockerfile.contains(pytorchVersion + "+cu128"),
                "the Dockerfile's libtorch is not " + pytorchVersion + " for cu128");
        Matcher from = Pattern.compile("(?m)^ARG CUDA_IMAGE=(\\S+)").matcher(dockerfile);
        assertTrue(from.find() && from.group(1).startsWith("nvidia/cuda:12.8"), "trainer image must build on CUDA 12.8");

        Map<String, String> devEnv = PodEnvironment.of(Manifests.overlay("dev"), trainer(Manifests.overlay("dev"))).variables;
        assertFalse(devEnv.containsKey("PYTORCH_LIBRARY_PATH"), "the CPU trainer must use the classpath libtorch");
        for (String overlay : List.of("dev", "gpu")) {
            Map<String, String> env = PodEnvironment.of(Manifests.overlay(overlay), trainer(Manifests.overlay(overlay))).variables;
            assertEquals("true", env.get("DJL_OFFLINE"), overlay + " DJL_OFFLINE");
            assertEquals("true", env.get("OPT_OUT_TRACKING"), overlay + " OPT_OUT_TRACKING");
        }
    }

    @Test
    void theDjlCacheIsAWritableVolume() {
        for (String overlay : List.of("dev", "gpu")) {
            for (String service : List.of(Repository.TRAINER, "evaluator-service")) {
                JsonNode deployment = Manifests.overlay(overlay).get("Deployment", service);
                JsonNode container = Manifests.container(deployment, service);
                String cache = PodEnvironment.of(Manifests.overlay(overlay), container).variables.get("DJL_CACHE_DIR");
                assertTrue(cache != null, overlay + " " + service + " sets no DJL_CACHE_DIR");
                String volume = null;
                for (JsonNode mount : container.path("volumeMounts")) {
                    if (cache.equals(mount.path("mountPath").asText())) {
                        volume = mount.path("name").asText();
                    }
                }
                assertTrue(volume != null, overlay + " " + service + ": DJL_CACHE_DIR " + cache + " is not a mounted volume");
                boolean writable = false;
                for (JsonNode v : Manifests.podSpec(deployment).path("volumes")) {
                    if (volume.equals(v.path("name").asText())) {
                        writable = v.has("emptyDir") || v.has("persistentVolumeClaim") || v.has("ephemeral");
                    }
                }
                assertTrue(writable, overlay + " " + service + ": DJL cache volume " + volume + " is not an emptyDir or PVC");
            }
        }
    }

    static String parentPomProperty(String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(
                Repository.read(Repository.root().resolve("pom.xml")));
        assertTrue(m.find(), "parent pom has no property " + name);
        return m.group(1).trim();
    }

    /**
     * libtorch's cu128 archive bundles its CUDA runtime, cuBLAS and cuDNN: the GPU image is built on the
     * CUDA "base" image (driver hooks, no libraries), by default of the Dockerfile and wherever README.md
     * names one, so they are not in the image twice, and README.md names the driver that CUDA 12.8 needs.
     */
    @Test
    void theGpuImageCarriesCudaLibrariesOnceAndTheReadmeNamesTheDriver() {
        String baseImage = "nvidia/cuda:12\\.8\\.\\d+-base-ubuntu\\S+";
        Matcher from = Pattern.compile("(?m)^ARG CUDA_IMAGE=(\\S+)").matcher(Repository.read(Repository.dockerfile(Repository.TRAINER)));
        assertTrue(from.find(), "the trainer's Dockerfile.jvm no longer takes CUDA_IMAGE");
        assertTrue(from.group(1).matches(baseImage), "the trainer's Dockerfile.jvm builds on " + from.group(1)
                + " by default, not CUDA 12.8's base image (no cuDNN, no CUDA libraries)");
        String readme = Repository.read(Repository.deployDir().resolve("README.md"));
        Matcher named = Pattern.compile("nvidia/cuda:\\S+?(?=[`\\s)]|$)").matcher(readme);
        while (named.find()) {
            assertTrue(named.group().matches(baseImage), "README.md names the CUDA image " + named.group()
                    + ", not CUDA 12.8's base image");
        }
        assertTrue(readme.contains(from.group(1)), "README.md does not name the trainer's base image " + from.group(1));
        assertTrue(readme.contains("570.26"), "README.md does not name CUDA 12.8's minimum NVIDIA driver (570.26)");
    }
}
