package io.signstream.localstack.synthetic;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.signstream.contract.npy.Npy;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.Split;

/**
 * A deterministic synthetic data set of MediaPipe-like feature sequences: a gloss vocabulary and, per split, a
 * number of samples, each computed on demand (the same every time) so a split never has to fit in memory.
 * Implemented by {@link SyntheticDataset} (the demo's easy set) and {@link SignerHeldOutDataset} (held-out signers).
 */
public interface SyntheticSource {

    /** The gloss names, in the generator's pattern order. */
    List<String> glosses();

    /** Samples in a split (TRAIN, DEV or TEST). */
    int count(Split split);

    /** Sample {@code index} of a split, computed on demand (the same every time). */
    SyntheticSample sample(Split split, int index);

    /** Every sample of a split, generated now (mind the memory for large splits: prefer {@link #sample}). */
    default List<SyntheticSample> samples(Split split) {
        List<SyntheticSample> samples = new ArrayList<>(count(split));
        for (int i = 0; i < count(split); i++) {
            samples.add(sample(split, i));
        }
        return samples;
    }

    /** Every sample of a split as the publisher's Protobuf message (stamp NONE). */
    default List<FeatureSample> featureSamples(Split split) {
        return samples(split).stream().map(SyntheticSample::toFeatureSample).toList();
    }

    /**
     * Writes the PHOENIX-2014 layout under {@code root}: {@code {split}.corpus.csv} (header
     * {@code id|folder|signer|annotation}) and {@code {split}/{id}.npy} [T, 6516] float32, for every split
     * with samples. Samples are generated and written one at a time.
     */
    default void writePhoenix(Path root) {
        try {
            for (Split split : List.of(Split.TRAIN, Split.DEV, Split.TEST)) {
                if (count(split) == 0) {
                    continue;
                }
                String name = split.name().toLowerCase(Locale.ROOT);
                Path folder = Files.createDirectories(root.resolve(name));
                try (BufferedWriter corpus = Files.newBufferedWriter(root.resolve(name + ".corpus.csv"),
                        StandardCharsets.UTF_8)) {
                    corpus.write("id|folder|signer|annotation\n");
                    for (int i = 0; i < count(split); i++) {
                        SyntheticSample sample = sample(split, i);
                        try (OutputStream out = Files.newOutputStream(folder.resolve(sample.id() + ".npy"))) {
                            Npy.write(sample.matrix(), out);
                        }
                        corpus.write(sample.id() + "|" + sample.id() + "/1/*.png|" + sample.signer() + "|"
                                + String.join(" ", sample.glosses()) + "\n");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sample ids: {@code {split}-{index:05d}}, e.g. {@code train-00007}. */
    static String sampleId(Split split, int index) {
        return String.format(Locale.ROOT, "%s-%05d", split.name().toLowerCase(Locale.ROOT), index);
    }

    /** Signer names, PHOENIX style: signer index 0 is {@code Signer01}. */
    static String signerName(int signer) {
        return String.format(Locale.ROOT, "Signer%02d", signer + 1);
    }
}
