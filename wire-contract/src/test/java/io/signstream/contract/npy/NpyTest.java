package io.signstream.contract.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.signstream.contract.RejectionReason;

/** The fixture files under src/test/resources/npy were written by numpy 2.4 (np.save / np.savez). */
class NpyTest {

    private static final float[] EXPECTED = {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f};

    @Test
    void readsNumpyFloat32COrder() {
        FeatureMatrix matrix = Npy.read(fixture("c_order_2x3.npy"));
        assertEquals(2, matrix.rows());
        assertEquals(3, matrix.columns());
        assertArrayEquals(EXPECTED, matrix.values());
    }

    @Test
    void readsFeaturesFromNpzIgnoringOtherArrays() {
        assertArrayEquals(EXPECTED, Npy.readAny(fixture("features_and_masks.npz")).values());
        assertArrayEquals(EXPECTED, Npy.readAny(fixture("compressed.npz")).values());
    }

    @Test
    void writesWhatNumpyWrites() {
        byte[] written = Npy.toBytes(new FeatureMatrix(2, 3, EXPECTED));
        assertArrayEquals(fixture("c_order_2x3.npy"), written);
    }

    @Test
    void npzRoundTrip() {
        byte[] npz = Npy.toNpzBytes(Map.of(Npy.NPZ_FEATURES_KEY, new FeatureMatrix(2, 3, EXPECTED)));
        assertArrayEquals(EXPECTED, Npy.readAny(npz).values());
    }

    @Test
    void refusesFloat64() {
        assertRefused("float64_2x3.npy", "dtype '<f8'");
    }

    @Test
    void refusesBigEndian() {
        assertRefused("big_endian.npy", "dtype '>f4'");
    }

    @Test
    void refusesFortranOrder() {
        assertRefused("fortran_2x3.npy", "Fortran-order");
    }

    @Test
    void refusesThreeDimensions() {
        assertRefused("three_d.npy", "3 dimensions");
    }

    @Test
    void refusesNpzWithoutFeatures() {
        assertRefused("no_features.npz", "no 'features' array");
    }

    @Test
    void refusesTruncatedData() {
        byte[] whole = fixture("c_order_2x3.npy");
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 4);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(truncated));
        assertTrue(e.detail().contains("needs 24"), e.detail());
    }

    @Test
    void refusesSomethingElse() {
        assertThrows(NpyFormatException.class, () -> Npy.readAny("id|folder|signer|annotation".getBytes()));
    }

    @Test
    void refusesAShapeThatIsNotNonNegativeIntegersWithTheReason() {
        for (String shape : new String[] {"'T', 3", "2, -3", "2.5, 3", "99999999999999999999999, 3"}) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(withShape(shape, 24)),
                    shape);
            assertEquals(RejectionReason.UNSUPPORTED_FORMAT, e.reason());
            assertTrue(e.detail().contains("shape"), e.detail());
        }
        assertEquals(3, Npy.read(withShape("2, 3", 24)).columns(), "the same header with numbers is read");
    }

    /** A version 1.0 {@code .npy} whose header says {@code shape} (as written) followed by {@code dataBytes} zeros. */
    static byte[] withShape(String shape, int dataBytes) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(10 + header.length() + dataBytes)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        file.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
                .put(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return file.array();
    }

    private static void assertRefused(String name, String expectedText) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.readAny(fixture(name)));
        assertEquals(RejectionReason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.detail().contains(expectedText), e.detail());
    }

    private static byte[] fixture(String name) {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
