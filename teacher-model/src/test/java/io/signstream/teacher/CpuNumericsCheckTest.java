package io.signstream.teacher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class CpuNumericsCheckTest {

    /**
     * Under the build's settings (DNNL_MAX_CPU_ISA=SSE41 from the parent pom) libtorch's batched convolution agrees
     * with the double-precision loop on this machine; on a CPU where it does not, every model test would be
     * meaningless, so this names the cause first.
     */
    @Test
    void batchedConvolutionAgreesWithAReferenceLoop() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double error = CpuNumericsCheck.maxError(manager);
            assertTrue(error <= CpuNumericsCheck.TOLERANCE, "max error " + error + " with DNNL_MAX_CPU_ISA="
                    + System.getenv("DNNL_MAX_CPU_ISA"));
        }
    }
}
