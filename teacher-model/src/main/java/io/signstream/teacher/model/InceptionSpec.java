package io.signstream.teacher.model;

import java.util.List;

/**
 * Branch widths of one Inception block: 1x1; 1x1 -> k3; 1x1 -> k7 (GoogLeNet's 5x5 branch, widened to 7 frames
 * for signs); max pool -> 1x1. Output channels = oneByOne + threeOut + sevenOut + poolProjection.
 */
public record InceptionSpec(String name, int oneByOne, int threeReduce, int threeOut, int sevenReduce, int sevenOut,
        int poolProjection) {

    /** GoogLeNet / I3D widths: 256, 480, 512, 512, 512, 528, 832, 832, 1024 channels. */
    public static final List<InceptionSpec> GOOGLENET = List.of(
            new InceptionSpec("inception3b", 64, 96, 128, 16, 32, 32),
            new InceptionSpec("inception3c", 128, 128, 192, 32, 96, 64),
            new InceptionSpec("inception4b", 192, 96, 208, 16, 48, 64),
            new InceptionSpec("inception4c", 160, 112, 224, 24, 64, 64),
            new InceptionSpec("inception4d", 128, 128, 256, 24, 64, 64),
            new InceptionSpec("inception4e", 112, 144, 288, 32, 64, 64),
            new InceptionSpec("inception4f", 256, 160, 320, 32, 128, 128),
            new InceptionSpec("inception5b", 256, 160, 320, 32, 128, 128),
            new InceptionSpec("inception5c", 384, 192, 384, 48, 128, 128));

    public int outputChannels() {
        return oneByOne + threeOut + sevenOut + poolProjection;
    }

    /** Every width times {@code scale}, rounded to a multiple of 4 (at least 4) so GroupNorm has groups. */
    public InceptionSpec scaled(double scale) {
        return new InceptionSpec(name, round(oneByOne, scale), round(threeReduce, scale), round(threeOut, scale),
                round(sevenReduce, scale), round(sevenOut, scale), round(poolProjection, scale));
    }

    private static int round(int width, double scale) {
        return Math.max(4, (int) Math.round(width * scale / 4.0) * 4);
    }
}
