package io.signstream.ingest.domain;

import java.util.List;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.npy.FeatureMatrix;
import io.signstream.contract.npy.Npy;
import io.signstream.contract.npy.NpyArray;
import io.signstream.contract.proto.FeatureDerivation;
import io.signstream.landmarks.HolisticLandmarks;
import io.signstream.landmarks.derive.HolisticDerivation;
import io.signstream.landmarks.npy.LandmarkArrays;
import io.signstream.landmarks.pose.PoseLandmarks;
import io.signstream.landmarks.pose.PoseReader;

/**
 * What an uploaded or imported file holds, told by its content (not its name, which a corpus or a client may get
 * wrong): finished features [T, 6516] in a {@code .npy}/{@code .npz}, or landmarks that are derived here, once,
 * by {@link HolisticDerivation}: a pose-format file, or a [T, 543, 3|4] array.
 */
public final class SampleFiles {

    /** The arrays an {@code .npz} may hold, in the order they are looked for. */
    public static final List<String> NPZ_KEYS = List.of(Npy.NPZ_FEATURES_KEY, "landmarks");

    /**
     * @param derivation null for finished features (as uploaded), else the stamp of the derivation that made them
     */
    public record Contents(FeatureMatrix matrix, FeatureDerivation derivation) {
    }

    private SampleFiles() {
    }

    /**
     * @throws SampleRejectedException for every file that cannot be read as a sample: a reader's own refusal with its
     *         reason, anything else a reader throws as {@code UNDECODABLE}, so one broken file is one refused sample
     *         (422 for an upload, one refusal in an import), never an error of the service
     */
    public static Contents read(byte[] file) {
        try {
            return readChecked(file);
        } catch (SampleRejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SampleRejectedException(RejectionReason.UNDECODABLE, "the file could not be decoded ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "): send features [T, 6516] or Holistic landmarks ([T, 543, 3|4] or .pose)");
        }
    }

    private static Contents readChecked(byte[] file) {
        if (Npy.isNpy(file) || Npy.isNpz(file)) {
            NpyArray array = Npy.isNpz(file) ? Npy.readNpzArray(file, NPZ_KEYS) : Npy.readArray(file);
            return LandmarkArrays.isLandmarkShape(array) ? derived(LandmarkArrays.from(array))
                    : new Contents(Npy.toMatrix(array), null);
        }
        if (PoseReader.looksLikePose(file)) {
            return derived(PoseLandmarks.from(PoseReader.read(file)));
        }
        throw new SampleRejectedException(RejectionReason.UNSUPPORTED_FORMAT, "not a .npy file (no \\x93NUMPY magic "
                + "string), not a .npz (zip) and not a pose-format file (version 0.1 or 0.2): send features "
                + "[T, 6516] or Holistic landmarks ([T, 543, 3|4] or .pose)");
    }

    private static Contents derived(HolisticLandmarks landmarks) {
        float[] features = HolisticDerivation.derive(landmarks);
        return new Contents(new FeatureMatrix(landmarks.frames(), FeatureLayout.DIMS, features),
                HolisticDerivation.stamp(landmarks));
    }
}
