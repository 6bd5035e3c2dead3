package io.signstream.ingest.domain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.signstream.contract.FeatureLayout;
import io.signstream.contract.FeatureTensor;
import io.signstream.contract.Glosses;
import io.signstream.contract.RejectionReason;
import io.signstream.contract.SampleRejectedException;
import io.signstream.contract.SampleValidator;
import io.signstream.contract.npy.FeatureMatrix;
import io.signstream.contract.npy.Npy;
import io.signstream.contract.proto.FeatureSample;
import io.signstream.contract.proto.NormalizationStamp;
import io.signstream.contract.proto.Split;

/**
 * Turns a {@code .npy}/{@code .npz}/{@code .pose} file plus its metadata into a validated {@link FeatureSample}
 * stamped NONE (and, for landmarks, with the derivation that made its features), or refuses it with a {@link SampleRejectedException}. Nothing is published here.
 */
@ApplicationScoped
public class SampleAssembler {

    private static final NormalizationStamp RAW = NormalizationStamp.newBuilder()
            .setState(NormalizationStamp.State.NONE).build();

    private final SampleValidator validator;
    /** Decompressed bytes an {@code .npz} may expand to: the largest valid sample plus room for small side arrays. */
    private final long maxNpzExpandedBytes;

    @Inject
    public SampleAssembler(@ConfigProperty(name = "signstream.validation.max-frames",
            defaultValue = "" + SampleValidator.DEFAULT_MAX_FRAMES) int maxFrames) {
        this.validator = new SampleValidator(maxFrames);
        this.maxNpzExpandedBytes = 2L * maxFrames * FeatureLayout.DIMS * Float.BYTES + (1 << 20);
    }

    public int maxFrames() {
        return validator.maxFrames();
    }

    /**
     * The largest file a valid sample can come in: {@code max-frames} x 6516 float32 (finished features, the largest
     * form; landmarks [T, 543, 4] and pose files are smaller) plus {@link #FILE_OVERHEAD_BYTES}.
     */
    public long maxFileBytes() {
        return (long) maxFrames() * FeatureLayout.DIMS * Float.BYTES + FILE_OVERHEAD_BYTES;
    }

    /** Room above the tensor for a {@code .npy} header (at most 64 KiB) or an {@code .npz}'s small side arrays. */
    public static final long FILE_OVERHEAD_BYTES = 1 << 20;

    /**
     * Refuses a file larger than any valid sample before it is read: reading it would cost its whole size in heap
     * (a 700 MB file once took an import's worker down) only to refuse it afterwards.
     */
    public void checkFileSize(String sampleId, long bytes) {
        if (bytes > maxFileBytes()) {
            throw new SampleRejectedException(RejectionReason.TOO_LARGE, "sample " + sampleId + ": the file is "
                    + bytes + " bytes, the largest a valid sample needs is " + maxFileBytes() + " (" + maxFrames()
                    + " frames x " + FeatureLayout.DIMS + " float32 plus " + FILE_OVERHEAD_BYTES
                    + " bytes of header); it was not read");
        }
    }

    /** {@code train}, {@code dev} or {@code test}, any case. */
    public static Split parseSplit(String text) {
        if (text == null || text.isBlank()) {
            throw new SampleRejectedException(RejectionReason.BAD_SPLIT, "split is missing: give train, dev or test");
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "train" -> Split.TRAIN;
            case "dev" -> Split.DEV;
            case "test" -> Split.TEST;
            default -> throw new SampleRejectedException(RejectionReason.BAD_SPLIT,
                    "split '" + abbreviate(text) + "' is not one of train, dev, test");
        };
    }

    public static String splitName(Split split) {
        return split.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The checks that need no file: identity and annotation. Run first so a sample id is known to be
     * safe (no path separators) before it names a file, and so a bad annotation costs no file read.
     */
    public void checkMetadata(SampleMetadata metadata) {
        String id = metadata.sampleId() == null ? "" : metadata.sampleId();
        if (!SampleValidator.SAMPLE_ID.matcher(id).matches()) {
            throw new SampleRejectedException(RejectionReason.BAD_SAMPLE_ID, "sample id '" + abbreviate(id)
                    + "' does not match " + SampleValidator.SAMPLE_ID.pattern());
        }
        if (metadata.split() == null || metadata.split() == Split.SPLIT_UNSPECIFIED
                || metadata.split() == Split.UNRECOGNIZED) {
            throw new SampleRejectedException(RejectionReason.BAD_SPLIT, "sample " + id
                    + " has no split (train, dev or test)");
        }
        SampleValidator.validateGlosses(id, Glosses.parse(metadata.annotation()));
    }

    /**
     * @param file the bytes of a {@code .npy} or {@code .npz} (key {@code features} or {@code landmarks}) holding
     *        features [T, 6516] or landmarks [T, 543, 3|4], or of a pose-format file ({@link SampleFiles})
     * @return the sample, every contract rule checked
     * @throws SampleRejectedException naming the first broken rule
     */
    public FeatureSample assemble(SampleMetadata metadata, byte[] file) {
        checkMetadata(metadata);
        checkFileSize(metadata.sampleId(), file.length);
        guardNpzExpansion(metadata.sampleId(), file);
        SampleFiles.Contents contents = SampleFiles.read(file);
        FeatureMatrix matrix = contents.matrix();
        FeatureSample.Builder sample = FeatureSample.newBuilder()
                .setSampleId(metadata.sampleId())
                .setSplit(metadata.split())
                .addAllGlosses(Glosses.parse(metadata.annotation()))
                .setFrameCount(matrix.rows())
                .setFeatureDims(matrix.columns())
                .setFeatures(FeatureTensor.toBytes(matrix.values()))
                .setNormalization(RAW);
        if (metadata.signer() != null && !metadata.signer().isBlank()) {
            sample.setSigner(metadata.signer().trim());
        }
        if (metadata.source() != null) {
            sample.setSource(metadata.source());
        }
        if (contents.derivation() != null) {
            sample.setDerivation(contents.derivation());
        }
        FeatureSample built = sample.build();
        validator.validate(built);
        return built;
    }

    /**
     * A few KB of deflated zeros can expand to GBs; the npz reader keeps whole entries in memory, so the
     * expanded size is measured (streaming, nothing kept) and refused before it is read for real.
     */
    private void guardNpzExpansion(String sampleId, byte[] file) {
        if (!Npy.isNpz(file)) {
            return;
        }
        long expanded = 0;
        byte[] scratch = new byte[64 * 1024];
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(file))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                int read;
                while ((read = in.read(scratch)) > 0) {
                    expanded += read;
                    if (expanded > maxNpzExpandedBytes) {
                        throw new SampleRejectedException(RejectionReason.TOO_LARGE, "sample " + sampleId
                                + ": .npz expands to more than " + maxNpzExpandedBytes + " bytes (entry '"
                                + entry.getName() + "'), more than " + maxFrames() + " frames can need");
                    }
                }
            }
        } catch (IOException e) {
            // Npy.readNpz reports unreadable archives with the reason; let it speak.
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
