package io.signstream.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;

/**
 * Checkpoints in an S3 bucket, one prefix per run and epoch ({@code runs/{runId}/epoch-NNNN/}).
 * The manifest is written after every other file and lists their sizes and SHA-256; readers only see
 * checkpoints that have one, and every file read is checked against it.
 */
public final class CheckpointStore {

    private static final Pattern MANIFEST_OBJECT = Pattern.compile(
            "runs/(" + CheckpointRef.RUN_ID.pattern() + ")/epoch-(\\d{4})/" + Pattern.quote(CheckpointFiles.MANIFEST));
    private static final Pattern MARKER_OBJECT = Pattern.compile(
            "runs/(" + CheckpointRef.RUN_ID.pattern() + ")/epoch-(\\d{4})/" + Pattern.quote(CheckpointFiles.CORRUPTED));
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private static final System.Logger LOG = System.getLogger(CheckpointStore.class.getName());

    private final MinioClient client;
    private final String bucket;

    public CheckpointStore(MinioClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /**
     * Writes the files, then the manifest that vouches for them. Rewriting an existing checkpoint first removes
     * its manifest, so readers never see a manifest next to files it does not describe.
     *
     * @param files file name (no slashes, not {@code manifest.json}) to content
     * @param normalization the normalization stamp description of the data trained on
     */
    public CheckpointManifest write(CheckpointRef ref, Map<String, byte[]> files, String normalization,
            Map<String, Double> metrics) {
        return write(ref, files, normalization, metrics, null, WriteFence.NONE);
    }

    /**
     * Checked before every object a checkpoint write puts or removes: throws (and so ends the write, the manifest
     * unwritten) when the writer no longer owns the run. The check and the write it guards are two requests, see the
     * README ("Ownership") for the window this leaves.
     */
    @FunctionalInterface
    public interface WriteFence {
        WriteFence NONE = object -> {
        };

        void check(String object);
    }

    /**
     * {@link #write(CheckpointRef, Map, String, Map)} by an owner of the run: {@code fence} is checked before each
     * object, and the manifest names the writer.
     */
    public CheckpointManifest write(CheckpointRef ref, Map<String, byte[]> files, String normalization,
            Map<String, Double> metrics, CheckpointManifest.Writer writer, WriteFence fence) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint needs at least one file");
        }
        for (String name : files.keySet()) {
            if (!FILE_NAME.matcher(name).matches() || name.equals(CheckpointFiles.MANIFEST)
                    || name.equals(CheckpointFiles.CORRUPTED)) {
                throw new IllegalArgumentException("'" + name + "' cannot be a checkpoint file name");
            }
        }
        fence.check(ref.prefix());
        damage(ref).ifPresent(this::quarantine);
        fence.check(ref.object(CheckpointFiles.MANIFEST));
        remove(ref.object(CheckpointFiles.MANIFEST));
        List<CheckpointManifest.FileEntry> entries = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
            byte[] content = file.getValue();
            fence.check(ref.object(file.getKey()));
            put(ref.object(file.getKey()), content, "application/octet-stream");
            entries.add(new CheckpointManifest.FileEntry(file.getKey(), content.length, sha256(content)));
        }
        Instant now = Instant.now();
        CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.FORMAT_VERSION, ref.runId(), ref.epoch(),
                now.toString(), now.toEpochMilli(), normalization,
                metrics == null ? Map.of() : new TreeMap<>(metrics), entries, writer);
        fence.check(ref.object(CheckpointFiles.MANIFEST));
        put(ref.object(CheckpointFiles.MANIFEST), manifest.toJson(), "application/json");
        return manifest;
    }

    /** The manifest of a complete checkpoint; empty while it is absent or half-written. */
    public Optional<CheckpointManifest> manifest(CheckpointRef ref) {
        return get(ref.object(CheckpointFiles.MANIFEST)).map(json -> {
            CheckpointManifest manifest = CheckpointManifest.fromJson(json);
            if (!ref.runId().equals(manifest.runId()) || ref.epoch() != manifest.epoch()) {
                throw new CheckpointIntegrityException("manifest at " + ref.object(CheckpointFiles.MANIFEST)
                        + " describes run " + manifest.runId() + " epoch " + manifest.epoch() + ", not its own prefix");
            }
            return manifest;
        });
    }

    /** The complete checkpoints of a run (those with a readable manifest; files not checked), ascending by epoch. */
    public List<CheckpointManifest> list(String runId) {
        List<CheckpointManifest> manifests = new ArrayList<>();
        for (int epoch : manifestEpochs(runId)) {
            CheckpointRef ref = new CheckpointRef(runId, epoch);
            try {
                manifest(ref).ifPresent(manifests::add);
            } catch (CheckpointIntegrityException e) {
                // an unreadable manifest vouches for nothing: not a complete checkpoint (newestIntact marks it)
                LOG.log(System.Logger.Level.WARNING, "ignoring checkpoint {0}: {1}", ref.prefix(), e.getMessage());
            }
        }
        manifests.sort(Comparator.comparingInt(CheckpointManifest::epoch));
        return manifests;
    }

    /** Epochs of the run that have a manifest object (readable or not), ascending. */
    private TreeSet<Integer> manifestEpochs(String runId) {
        TreeSet<Integer> epochs = new TreeSet<>();
        for (String name : objectNames(CheckpointRef.runPrefix(runId))) {
            Matcher m = MANIFEST_OBJECT.matcher(name);
            if (m.matches() && m.group(1).equals(runId)) {
                epochs.add(Integer.parseInt(m.group(2)));
            }
        }
        return epochs;
    }

    /**
     * The newest checkpoint of the run whose manifest reads and whose every file matches it (size and SHA-256), with
     * its verified content. Newer checkpoints that fail the check are skipped, marked ({@link #mark}) and reported in
     * {@link IntactCheckpoint#skipped()}; a checkpoint already marked is skipped without reading it again. Nothing is
     * deleted. A checkpoint that cannot be read for another reason (the store does not answer) is not marked: the
     * {@link CheckpointException} propagates.
     *
     * @param detectedBy who is asking ("trainer", "evaluator"), recorded in new markers
     * @return empty when the run has no intact checkpoint (then every skipped one is marked)
     */
    public Optional<IntactCheckpoint> newestIntact(String runId, String detectedBy) {
        return newestIntact(runId, detectedBy, 0);
    }

    /**
     * The same, also looking up epochs 1..{@code knownNewest} by their keys: what the run's own record says it wrote
     * (its last checkpoint epoch) does not depend on a listing, which an S3 server may answer without an object that a
     * concurrent write in the same folder hid (a resumed run once started over although its epoch-1 manifest was
     * there before and after).
     */
    public Optional<IntactCheckpoint> newestIntact(String runId, String detectedBy, int knownNewest) {
        List<CheckpointDamage> skipped = new ArrayList<>();
        TreeSet<Integer> epochs = manifestEpochs(runId);
        for (int epoch = 1; epoch <= knownNewest; epoch++) {
            if (epochs.add(epoch) && epoch == knownNewest) {
                LOG.log(System.Logger.Level.WARNING, "listing runs/{0}/ did not show epoch {1}''s manifest, which the "
                        + "run''s record names: reading it by its key", runId, epoch);
            }
        }
        for (int epoch : epochs.descendingSet()) {
            CheckpointRef ref = new CheckpointRef(runId, epoch);
            Verified verified = verify(ref, detectedBy);
            if (verified.damage() != null) {
                skipped.add(verified.damage());
                continue;
            }
            if (verified.manifest() != null) {
                return Optional.of(new IntactCheckpoint(verified.manifest(), verified.files(), skipped));
            }
        }
        if (!skipped.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "run {0} has no intact checkpoint: every one fails its manifest "
                    + "check ({1})", runId, skipped.stream().map(CheckpointDamage::summary).toList());
        }
        return Optional.empty();
    }

    /**
     * Checks one checkpoint against its manifest (every file, size and SHA-256).
     *
     * @return empty when it is intact; the damage (marked next to it, see {@link #mark}) when it is not
     * @throws CheckpointException when it has no manifest, or the store cannot be read
     */
    public Optional<CheckpointDamage> inspect(CheckpointRef ref, String detectedBy) {
        Verified verified = verify(ref, detectedBy);
        if (verified.damage() == null && verified.manifest() == null) {
            throw new CheckpointException("no complete checkpoint at " + ref.prefix() + " (no "
                    + CheckpointFiles.MANIFEST + ")");
        }
        return Optional.ofNullable(verified.damage());
    }

    /** manifest + files when intact, damage when not, all null when there is no manifest. */
    private record Verified(CheckpointManifest manifest, Map<String, byte[]> files, CheckpointDamage damage) {
    }

    private Verified verify(CheckpointRef ref, String detectedBy) {
        Optional<CheckpointDamage> marked = damage(ref);
        if (marked.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "skipping checkpoint {0}: marked damaged by {1} at {2}: {3}",
                    ref.prefix(), marked.get().detectedBy(), marked.get().detectedAt(), marked.get().summary());
            return new Verified(null, null, marked.get());
        }
        String file = CheckpointFiles.MANIFEST;
        CheckpointManifest first = null;
        try {
            Optional<CheckpointManifest> manifest = manifest(ref);
            if (manifest.isEmpty()) {
                return new Verified(null, null, null);
            }
            first = manifest.get();
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (CheckpointManifest.FileEntry entry : first.files()) {
                file = entry.name();
                files.put(entry.name(), read(ref, entry.name()));
            }
            return new Verified(first, files, null);
        } catch (CheckpointIntegrityException e) {
            if (changedMeanwhile(ref, first)) {
                // a writer is replacing this epoch (it removes the manifest first): not damage, just not there now
                LOG.log(System.Logger.Level.INFO, "checkpoint {0} changed while it was read; not taken, not marked",
                        ref.prefix());
                return new Verified(null, null, null);
            }
            Instant now = Instant.now();
            CheckpointDamage damage = new CheckpointDamage(ref.runId(), ref.epoch(), file, e.getMessage(), detectedBy,
                    now.toString(), now.toEpochMilli(), null);
            LOG.log(System.Logger.Level.WARNING, "checkpoint {0} fails its manifest check and is skipped; marking it "
                    + "{1} (kept, not deleted): {2}", ref.prefix(), ref.object(CheckpointFiles.CORRUPTED), e.getMessage());
            mark(damage);
            return new Verified(null, null, damage);
        }
    }

    /**
     * Whether the manifest is no longer the one the failed read started from. A writer removes the manifest before it
     * replaces any file, so a manifest still unchanged after a file failed means the file was damaged while that
     * manifest vouched for it, not replaced under a reader.
     */
    private boolean changedMeanwhile(CheckpointRef ref, CheckpointManifest first) {
        try {
            Optional<CheckpointManifest> now = manifest(ref);
            return first == null || now.map(m -> !m.equals(first)).orElse(true);
        } catch (CheckpointIntegrityException e) {
            return first != null;
        }
    }

    /** The damage marker next to a checkpoint, if a reader found it damaged. */
    public Optional<CheckpointDamage> damage(CheckpointRef ref) {
        return get(ref.object(CheckpointFiles.CORRUPTED)).map(CheckpointDamage::fromJson);
    }

    /** The run's checkpoints that carry a damage marker (not those in the quarantine), newest epoch first. */
    public List<CheckpointDamage> damaged(String runId) {
        List<CheckpointDamage> found = new ArrayList<>();
        for (String name : objectNames(CheckpointRef.runPrefix(runId))) {
            Matcher m = MARKER_OBJECT.matcher(name);
            if (m.matches() && m.group(1).equals(runId)) {
                get(name).map(CheckpointDamage::fromJson).ifPresent(found::add);
            }
        }
        found.sort(Comparator.comparingInt(CheckpointDamage::epoch).reversed());
        return found;
    }

    /** Writes {@code corrupted.json} next to the damaged checkpoint; its files stay as they are. */
    public void mark(CheckpointDamage damage) {
        put(damage.ref().object(CheckpointFiles.CORRUPTED), damage.toJson(), "application/json");
    }

    /** {@code runs/{runId}/quarantine/epoch-NNNN-{detectedAtEpochMs}/} */
    public static String quarantinePrefix(CheckpointDamage damage) {
        return CheckpointRef.runPrefix(damage.runId()) + CheckpointFiles.QUARANTINE
                + String.format("/epoch-%04d-%d/", damage.epoch(), damage.detectedAtEpochMs());
    }

    /**
     * Before a damaged epoch is written again: every object of its prefix (files, manifest, marker) is copied to
     * {@link #quarantinePrefix}, where nothing reads it as a checkpoint, and the marker at the epoch is removed.
     */
    private void quarantine(CheckpointDamage damage) {
        CheckpointRef ref = damage.ref();
        String target = quarantinePrefix(damage);
        for (String name : objectNames(ref.prefix())) {
            String file = name.substring(ref.prefix().length());
            if (file.equals(CheckpointFiles.CORRUPTED)) {
                continue;
            }
            try {
                client.copyObject(CopyObjectArgs.builder().bucket(bucket).object(target + file)
                        .source(CopySource.builder().bucket(bucket).object(name).build()).build());
            } catch (Exception e) {
                throw new CheckpointException("cannot copy s3://" + bucket + "/" + name + " to " + target + file
                        + " before its epoch is written again: " + e.getMessage(), e);
            }
        }
        CheckpointDamage moved = damage.quarantinedAt(target);
        put(target + CheckpointFiles.CORRUPTED, moved.toJson(), "application/json");
        remove(ref.object(CheckpointFiles.CORRUPTED));
        LOG.log(System.Logger.Level.WARNING, "checkpoint {0} was marked damaged ({1}); it is written again, and the "
                + "damaged objects are kept under {2}", ref.prefix(), damage.summary(), target);
    }

    /**
     * The damaged checkpoints kept under {@code runs/{runId}/quarantine/} (their markers), oldest first.
     */
    public List<CheckpointDamage> quarantined(String runId) {
        String prefix = CheckpointRef.runPrefix(runId) + CheckpointFiles.QUARANTINE + "/";
        List<CheckpointDamage> found = new ArrayList<>();
        for (String name : objectNames(prefix)) {
            if (name.endsWith("/" + CheckpointFiles.CORRUPTED)) {
                get(name).map(CheckpointDamage::fromJson).ifPresent(found::add);
            }
        }
        found.sort(Comparator.comparingLong(CheckpointDamage::detectedAtEpochMs));
        return found;
    }

    /** The complete checkpoint with the highest epoch; checkpoints without a manifest are ignored. */
    public Optional<CheckpointManifest> latest(String runId) {
        List<CheckpointManifest> all = list(runId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Ids of the runs that have at least one complete checkpoint, sorted. */
    public List<String> runs() {
        TreeSet<String> runs = new TreeSet<>();
        for (String name : objectNames("runs/")) {
            Matcher m = MANIFEST_OBJECT.matcher(name);
            if (m.matches()) {
                runs.add(m.group(1));
            }
        }
        return List.copyOf(runs);
    }

    /**
     * One file of a complete checkpoint, checked against the manifest's size and SHA-256.
     *
     * @throws CheckpointException when the checkpoint is not complete, the file is not in it or is missing
     * @throws CheckpointIntegrityException when the content does not match the manifest
     */
    public byte[] read(CheckpointRef ref, String file) {
        CheckpointManifest manifest = manifest(ref).orElseThrow(() -> new CheckpointException(
                "no complete checkpoint at " + ref.prefix() + " (no " + CheckpointFiles.MANIFEST + ")"));
        CheckpointManifest.FileEntry entry = manifest.file(file).orElseThrow(() -> new CheckpointException(
                "checkpoint " + ref.prefix() + " has no file '" + file + "' (it has " + manifest.files().stream()
                        .map(CheckpointManifest.FileEntry::name).toList() + ")"));
        byte[] content = get(ref.object(file)).orElseThrow(() -> new CheckpointIntegrityException(
                "checkpoint " + ref.prefix() + " lists " + file + " but the object is missing"));
        if (content.length != entry.size()) {
            throw new CheckpointIntegrityException("checkpoint file " + ref.object(file) + " has " + content.length
                    + " bytes but the manifest says " + entry.size() + ": refusing to load it");
        }
        String actual = sha256(content);
        if (!actual.equals(entry.sha256())) {
            throw new CheckpointIntegrityException("checkpoint file " + ref.object(file) + " fails the SHA-256 check: "
                    + "content hashes to " + actual + " but the manifest says " + entry.sha256() + ": refusing to load it");
        }
        return content;
    }

    /** Every file of a complete checkpoint, each verified, by name. */
    public Map<String, byte[]> readAll(CheckpointRef ref) {
        CheckpointManifest manifest = manifest(ref).orElseThrow(() -> new CheckpointException(
                "no complete checkpoint at " + ref.prefix() + " (no " + CheckpointFiles.MANIFEST + ")"));
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (CheckpointManifest.FileEntry entry : manifest.files()) {
            files.put(entry.name(), read(ref, entry.name()));
        }
        return files;
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    private void put(String object, byte[] content, String contentType) {
        try (InputStream in = new ByteArrayInputStream(content)) {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(object)
                    .stream(in, content.length, -1).contentType(contentType).build());
        } catch (Exception e) {
            throw new CheckpointException("cannot write s3://" + bucket + "/" + object + ": " + e.getMessage(), e);
        }
    }

    private Optional<byte[]> get(String object) {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(object).build())) {
            return Optional.of(in.readAllBytes());
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw new CheckpointException("cannot read s3://" + bucket + "/" + object + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new CheckpointException("cannot read s3://" + bucket + "/" + object + ": " + e.getMessage(), e);
        }
    }

    private void remove(String object) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(object).build());
        } catch (Exception e) {
            throw new CheckpointException("cannot remove s3://" + bucket + "/" + object + ": " + e.getMessage(), e);
        }
    }

    private List<String> objectNames(String prefix) {
        List<String> names = new ArrayList<>();
        try {
            for (Result<Item> result : client.listObjects(
                    ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    names.add(item.objectName());
                }
            }
        } catch (Exception e) {
            throw new CheckpointException("cannot list s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
        }
        return names;
    }
}
