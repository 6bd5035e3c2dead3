package io.signstream.featurestream;

import java.util.List;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;

/**
 * One sample of a normalized topic that passed every check: decoded, valid, stamped NORMALIZED
 * (with the expected arithmetic when one was asked for).
 *
 * @param features {@code frames x 6516} float32 values, row-major
 */
public record NormalizedSample(String id, Split split, List<String> glosses, int frames, float[] features,
        NormalizationStamp stamp) {

    public NormalizedSample {
        glosses = List.copyOf(glosses);
        if ((long) frames * FeatureLayout.DIMS != features.length) {
            throw new IllegalArgumentException("sample " + id + ": " + features.length + " values are not "
                    + frames + " x " + FeatureLayout.DIMS);
        }
    }

    public int featureDims() {
        return FeatureLayout.DIMS;
    }

    @Override
    public String toString() {
        return "NormalizedSample[" + id + ", " + split + ", " + frames + " frames, " + glosses.size() + " glosses]";
    }
}
