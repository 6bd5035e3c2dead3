package io.signstream.contract;

/** The fixed per-frame feature layout every service agrees on. */
public final class FeatureLayout {

    /** 99 + 126 + 1404 + 4887: the width of one frame. */
    public static final int DIMS = Modality.TEMPORAL.end();

    /** 543 Holistic landmarks x 3: the raw coordinates the temporal features derive from. */
    public static final int RAW_LANDMARK_VALUES = Modality.FACE.end();

    private FeatureLayout() {
    }
}
