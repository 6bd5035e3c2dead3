package io.signstream.localstack.synthetic;

/** Seeds for the parts of a synthetic generator (a pattern, a signer, a sample), mixed from the data set's seed. */
final class Seeds {

    private Seeds() {
    }

    /** A well-spread 64-bit seed from the data set's seed, a salt naming the part, and the part's index. */
    static long mix(long seed, long salt, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + salt * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
