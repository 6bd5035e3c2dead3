package io.signstream.teacher;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.signstream.contract.FeatureLayout;
import io.signstream.teacher.ctc.CtcLoss;
import io.signstream.teacher.model.I3dTeacher;
import io.signstream.teacher.model.Masks;
import io.signstream.teacher.training.GradMode;
import io.signstream.teacher.training.NamedAdamW;
import io.signstream.teacher.training.WeightAverage;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One teacher model with its optimizer: training steps, inference, and (de)serialization of both.
 *
 * <p>Not thread-safe: one thread at a time (DJL's gradient collector is process-wide), but any thread: libtorch's
 * grad mode is per thread, so every public call sets the mode it needs and restores the caller's (see
 * {@link GradMode}); creating, training and inference may each happen on a different thread.
 * Threads: DJL/PyTorch defaults are kept; set {@code -Dai.djl.pytorch.num_threads=N} (intra-op) and
 * {@code -Dai.djl.pytorch.num_interop_threads=N}, or {@code OMP_NUM_THREADS}, before the engine loads.
 */
public final class TeacherSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TeacherSession.class);
    private static final int PARAMETERS_MAGIC = 0x5353544d; // "SSTM"
    private static final int PARAMETERS_VERSION = 1;
    private static final int TRAINED_WEIGHTS_MAGIC = 0x53535457; // "SSTW"
    private static final int TRAINED_WEIGHTS_VERSION = 1;

    private final TeacherConfig config;
    private final int vocabularySize;
    private final NDManager manager;
    private final I3dTeacher block;
    private final ParameterStore store;
    private final List<Pair<String, Parameter>> parameters = new ArrayList<>();
    private final NamedAdamW optimizer;
    /** The weights' moving average when {@link TeacherConfig#weightAverageDecay()} is on, else null. */
    private final WeightAverage average;
    private float clipNorm;
    private long stepsApplied;
    private long stepsSkipped;
    private long impossibleAlignments;

    private TeacherSession(TeacherConfig config, int vocabularySize, long seed) {
        this.config = config;
        this.vocabularySize = vocabularySize;
        this.clipNorm = config.clipNorm();
        Engine engine = Engine.getInstance();
        engine.setRandomSeed(Long.hashCode(seed));
        Device device = engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        manager = NDManager.newBaseManager(device);
        if (!device.isGpu()) {
            try {
                requireExactCpuConvolution(manager);
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }
        block = I3dTeacher.build(config, vocabularySize);
        store = new ParameterStore(manager, false);
        try (GradMode off = GradMode.disabled()) {
            block.initializeParameters(store);
        }
        for (Pair<String, Parameter> pair : block.getParameters()) {
            parameters.add(pair);
        }
        optimizer = new NamedAdamW(manager, config.adamBeta1(), config.adamBeta2(), config.adamEpsilon(),
                config.weightDecay());
        average = config.weightAverageDecay() > 0 ? new WeightAverage(weights(), config.weightAverageDecay()) : null;
        LOG.info("teacher on {} ({} {}), {} parameters, vocabulary {}", device, engine.getEngineName(),
                engine.getVersion(), parameterCount(), vocabularySize);
    }

    private static volatile boolean cpuChecked;

    /** Once per process: a model must not train on a CPU whose convolutions are wrong (see CpuNumericsCheck). */
    private static void requireExactCpuConvolution(NDManager manager) {
        if (!cpuChecked) {
            synchronized (TeacherSession.class) {
                if (!cpuChecked) {
                    try (GradMode off = GradMode.disabled()) {
                        CpuNumericsCheck.require(manager);
                    }
                    cpuChecked = true;
                }
            }
        }
    }

    /**
     * @param vocabularySize glosses V (the classifier has V+1 outputs, blank = 0)
     * @param seed seeds parameter initialization (and dropout) through the engine's global generator
     */
    public static TeacherSession create(TeacherConfig config, int vocabularySize, long seed) {
        return new TeacherSession(config, vocabularySize, seed);
    }

    /** Output frames for {@code frames} input frames at this model's stride (see {@link TeacherConfig#outputLength}). */
    public int outputLength(int frames) {
        return config.outputLength(frames);
    }

    /** "cpu" or "gpu0", "gpu1", ... */
    public String device() {
        Device device = manager.getDevice();
        return device.isGpu() ? "gpu" + device.getDeviceId() : device.getDeviceType();
    }

    public Device djlDevice() {
        return manager.getDevice();
    }

    public TeacherConfig config() {
        return config;
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    public long parameterCount() {
        long count = 0;
        for (Pair<String, Parameter> pair : parameters) {
            count += pair.getValue().getArray().getShape().size();
        }
        return count;
    }

    /** Parameter names (block path) and element counts, in model order. */
    public Map<String, Long> parameterSizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : parameters) {
            sizes.put(pair.getKey(), pair.getValue().getArray().getShape().size());
        }
        return sizes;
    }

    public float clipNorm() {
        return clipNorm;
    }

    public void setClipNorm(float clipNorm) {
        if (!(clipNorm > 0)) {
            throw new IllegalArgumentException("clipNorm must be positive");
        }
        this.clipNorm = clipNorm;
    }

    public long stepsApplied() {
        return stepsApplied;
    }

    public long stepsSkipped() {
        return stepsSkipped;
    }

    /** Samples whose target could not be aligned (zero_infinity: loss 0, no gradient), over all steps. */
    public long impossibleAlignments() {
        return impossibleAlignments;
    }

    /**
     * Forward, CTC loss (torch's 'mean': loss / target length averaged over the batch), backward, global-norm
     * clip at {@link #clipNorm()}, AdamW. A non-finite output, loss or gradient leaves the parameters untouched
     * and returns {@code skipped=true} with the reason.
     */
    public StepResult trainStep(TeacherBatch batch, float learningRate) {
        if (!(learningRate >= 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and not negative");
        }
        // Grad mode off outside the collector: the AdamW update writes the parameters in place.
        try (GradMode off = GradMode.disabled(); NDManager step = manager.newSubManager()) {
            Backward pass = backward(step, batch);
            if (pass.skipReason() != null) {
                zeroGradients();
                stepsSkipped++;
                return StepResult.skipped(pass.loss(), pass.gradNorm(), pass.skipReason());
            }
            float scale = pass.gradNorm() > clipNorm ? (float) (clipNorm / (pass.gradNorm() + 1e-6)) : 1f;
            NamedAdamW.Step update = optimizer.beginStep(step, scale, learningRate);
            for (int i = 0; i < parameters.size(); i++) {
                Pair<String, Parameter> pair = parameters.get(i);
                NDArray value = pair.getValue().getArray();
                update.update(pair.getKey(), value, pass.gradients().get(i), value.getShape().dimension() > 1);
            }
            if (average != null) {
                average.update(step, weights());
            }
            zeroGradients();
            stepsApplied++;
            return StepResult.applied(pass.loss(), pass.gradNorm());
        }
    }

    /**
     * Forward and backward without an update: the loss, the global gradient norm and the norm per top-level
     * block (fusion, stem, inception..., lstm, classifier). For diagnostics.
     */
    public GradientProbe probeGradients(TeacherBatch batch) {
        try (GradMode off = GradMode.disabled(); NDManager step = manager.newSubManager()) {
            Backward pass = backward(step, batch);
            zeroGradients();
            return new GradientProbe(pass.loss(), pass.gradNorm(), pass.blockNorms(), pass.skipReason());
        }
    }

    /**
     * Per-block gradient norms of one backward pass.
     *
     * @param skipReason non-null when the pass would have been skipped by {@link #trainStep}
     */
    public record GradientProbe(double loss, double gradNorm, Map<String, Double> blockNorms, String skipReason) {}

    /** The batch's mean CTC loss (same reduction as training) without touching parameters or gradients. */
    public double loss(TeacherBatch batch) {
        requireTargets(batch);
        try (GradMode off = GradMode.disabled(); NDManager step = manager.newSubManager()) {
            Forward out = forward(step, batch, false);
            return CtcLoss.compute(out.logProbs(), batch.batchSize(), out.frames(), out.classes(),
                    outputLengths(batch), batch.targets(), CtcLoss.Reduction.MEAN).loss();
        }
    }

    /** Inference: per sample [outputLength(frames_i)][V+1] log-probabilities (log-softmax, blank = 0). */
    public List<float[][]> logProbs(TeacherBatch batch) {
        // No graph: with grad mode on (a fresh thread's default) inference would record one for nothing.
        try (GradMode off = GradMode.disabled(); NDManager step = manager.newSubManager()) {
            Forward out = forward(step, batch, false);
            int[] lengths = outputLengths(batch);
            List<float[][]> samples = new ArrayList<>(batch.batchSize());
            for (int b = 0; b < batch.batchSize(); b++) {
                float[][] rows = new float[lengths[b]][out.classes()];
                for (int t = 0; t < lengths[b]; t++) {
                    System.arraycopy(out.logProbs(), (b * out.frames() + t) * out.classes(), rows[t], 0,
                            out.classes());
                }
                samples.add(rows);
            }
            return samples;
        }
    }

    /** @param auxiliary the auxiliary classifier's log-probs (training with an auxiliary CTC weight), else null */
    private record Forward(float[] logProbs, int frames, int classes, NDArray array, NDArray auxiliary) {}

    private record Backward(double loss, double gradNorm, List<NDArray> gradients, Map<String, Double> blockNorms,
            String skipReason) {}

    private Forward forward(NDManager step, TeacherBatch batch, boolean training) {
        NDArray features = step.create(batch.features(),
                new Shape(batch.batchSize(), batch.maxFrames(), FeatureLayout.DIMS));
        NDArray mask = Masks.fromLengths(step, batch.frameLengths(), batch.maxFrames());
        NDList outputs = block.forward(store, new NDList(features, mask), training);
        NDArray logProbs = outputs.get(0);
        Shape shape = logProbs.getShape();
        return new Forward(logProbs.toFloatArray(), (int) shape.get(1), (int) shape.get(2), logProbs,
                outputs.size() > 2 ? outputs.get(2) : null);
    }

    /** Records the graph inside DJL's collector (grad mode on), which restores the caller's mode, off, on close. */
    private Backward backward(NDManager step, TeacherBatch batch) {
        requireTargets(batch);
        int[] lengths = outputLengths(batch);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            Forward out = forward(step, batch, true);
            if (!finiteOnValidFrames(out, lengths)) {
                return new Backward(Double.NaN, Double.NaN, List.of(), Map.of(), "non-finite model output");
            }
            CtcLoss.Result ctc = CtcLoss.compute(out.logProbs(), batch.batchSize(), out.frames(), out.classes(),
                    lengths, batch.targets(), CtcLoss.Reduction.MEAN);
            impossibleAlignments += ctc.impossible();
            if (!Double.isFinite(ctc.loss())) {
                return new Backward(ctc.loss(), Double.NaN, List.of(), Map.of(), "non-finite loss");
            }
            if (ctc.impossible() == batch.batchSize()) {
                return new Backward(ctc.loss(), 0, List.of(), Map.of(),
                        "no sample of the batch can be aligned (targets longer than the output frames)");
            }
            // d(loss)/d(logProbs) is exact; autograd carries it into the parameters through this surrogate.
            NDArray gradient = step.create(ctc.gradient(), out.array().getShape());
            NDArray surrogate = out.array().mul(gradient).sum();
            if (out.auxiliary() != null) {
                // The auxiliary CTC term (config auxiliaryCtcWeight): same targets and frames, its own classifier.
                CtcLoss.Result auxiliary = CtcLoss.compute(out.auxiliary().toFloatArray(), batch.batchSize(),
                        out.frames(), out.classes(), lengths, batch.targets(), CtcLoss.Reduction.MEAN);
                if (!Double.isFinite(auxiliary.loss())) {
                    return new Backward(auxiliary.loss(), Double.NaN, List.of(), Map.of(), "non-finite auxiliary loss");
                }
                float[] scaled = auxiliary.gradient();
                for (int i = 0; i < scaled.length; i++) {
                    scaled[i] *= config.auxiliaryCtcWeight();
                }
                NDArray auxiliaryGradient = step.create(scaled, out.auxiliary().getShape());
                surrogate = surrogate.add(out.auxiliary().mul(auxiliaryGradient).sum());
            }
            collector.backward(surrogate);
            // The reported loss stays the main CTC loss: the same quantity as loss(batch) and every evaluation.
            return gradients(step, ctc.loss());
        }
    }

    private Backward gradients(NDManager step, double loss) {
        List<NDArray> gradients = new ArrayList<>(parameters.size());
        NDList squares = new NDList(parameters.size());
        for (Pair<String, Parameter> pair : parameters) {
            NDArray gradient = pair.getValue().getArray().getGradient();
            gradient.attach(step); // getGradient() wraps a new handle in the model's manager otherwise
            gradients.add(gradient);
            squares.add(gradient.square().sum());
        }
        float[] perParameter = NDArrays.stack(squares).toFloatArray();
        Map<String, Double> blocks = new LinkedHashMap<>();
        double total = 0;
        for (int i = 0; i < perParameter.length; i++) {
            total += perParameter[i];
            blocks.merge(blockName(parameters.get(i).getKey()), (double) perParameter[i], Double::sum);
        }
        blocks.replaceAll((k, v) -> Math.sqrt(v));
        double norm = Math.sqrt(total);
        String reason = Double.isFinite(norm) ? null : "non-finite gradient";
        return new Backward(loss, norm, gradients, blocks, reason);
    }

    /** "03inception3b_01branch1x1_01conv_weight" -> "inception3b". */
    private static String blockName(String parameterName) {
        String first = parameterName.split("_", 2)[0];
        return first.replaceFirst("^\\d+", "");
    }

    private void zeroGradients() {
        for (Pair<String, Parameter> pair : parameters) {
            NDArray array = pair.getValue().getArray();
            if (array.hasGradient()) {
                JniUtils.zeroGrad((PtNDArray) array);
            }
        }
    }

    private static boolean finiteOnValidFrames(Forward out, int[] lengths) {
        float[] values = out.logProbs();
        for (int b = 0; b < lengths.length; b++) {
            int from = b * out.frames() * out.classes();
            int to = from + lengths[b] * out.classes();
            for (int i = from; i < to; i++) {
                if (!Float.isFinite(values[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    private int[] outputLengths(TeacherBatch batch) {
        int[] lengths = new int[batch.batchSize()];
        for (int b = 0; b < lengths.length; b++) {
            lengths[b] = outputLength(batch.frameLengths()[b]);
        }
        return lengths;
    }

    private static void requireTargets(TeacherBatch batch) {
        if (batch.targets() == null) {
            throw new IllegalArgumentException("training needs targets");
        }
    }

    /**
     * Writes every parameter by name (a format of this module: magic, version, then name + encoded array): the model
     * to use, which is the weights' moving average when {@link TeacherConfig#weightAverageDecay()} is on (the
     * trained weights then travel with {@link #saveOptimizerState}), otherwise the trained weights.
     */
    public void saveParameters(OutputStream out) {
        try {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(PARAMETERS_MAGIC);
            data.writeInt(PARAMETERS_VERSION);
            writeNamedArrays(data, average == null ? weights() : average.arrays());
            data.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads parameters written by {@link #saveParameters}; names and shapes must match this model exactly
     * (same config and vocabulary size), otherwise nothing is changed and IllegalArgumentException is thrown.
     * With weight averaging on, the loaded values become the average too; a training session that resumes then
     * loads its trained weights with {@link #loadOptimizerState}.
     */
    public void loadParameters(InputStream in) {
        try (GradMode off = GradMode.disabled(); NDManager scratch = manager.newSubManager()) {
            DataInputStream data = new DataInputStream(in);
            if (data.readInt() != PARAMETERS_MAGIC) {
                throw new IllegalArgumentException("not a teacher parameter file");
            }
            int version = data.readInt();
            if (version != PARAMETERS_VERSION) {
                throw new IllegalArgumentException("unsupported parameter file version " + version);
            }
            List<NDArray> loaded = readNamedArrays(data, scratch, "parameter file");
            setWeights(loaded);
            if (average != null) {
                average.restore(loaded, average.updates());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<NDArray> weights() {
        List<NDArray> arrays = new ArrayList<>(parameters.size());
        for (Pair<String, Parameter> pair : parameters) {
            arrays.add(pair.getValue().getArray());
        }
        return arrays;
    }

    private void setWeights(List<NDArray> values) {
        for (int i = 0; i < values.size(); i++) {
            // In place: the array keeps its identity, device and requires-gradient flag.
            parameters.get(i).getValue().getArray().set(values.get(i).toByteBuffer());
        }
    }

    /** Count, then name + length + encoded array for each, in parameter order. */
    private void writeNamedArrays(DataOutputStream data, List<NDArray> arrays) throws IOException {
        data.writeInt(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            data.writeUTF(parameters.get(i).getKey());
            byte[] encoded = arrays.get(i).encode();
            data.writeInt(encoded.length);
            data.write(encoded);
        }
    }

    /** Reads what {@link #writeNamedArrays} wrote, refusing arrays that do not fit this model's names and shapes. */
    private List<NDArray> readNamedArrays(DataInputStream data, NDManager scratch, String what) throws IOException {
        int count = data.readInt();
        if (count != parameters.size()) {
            throw new IllegalArgumentException(what + " holds " + count + " arrays, this model has "
                    + parameters.size() + " (different config or vocabulary?)");
        }
        List<NDArray> loaded = new ArrayList<>(count);
        for (Pair<String, Parameter> pair : parameters) {
            String name = data.readUTF();
            byte[] encoded = new byte[data.readInt()];
            data.readFully(encoded);
            NDArray array = NDArray.decode(scratch, encoded);
            Shape expected = pair.getValue().getArray().getShape();
            if (!name.equals(pair.getKey()) || !expected.equals(array.getShape())) {
                throw new IllegalArgumentException("parameter " + name + " " + array.getShape()
                        + " does not match this model's " + pair.getKey() + " " + expected);
            }
            loaded.add(array);
        }
        return loaded;
    }

    /**
     * The state that continues training: AdamW's moments and step and, with weight averaging on, the trained
     * weights and the average's update count (the average itself is what {@link #saveParameters} writes).
     */
    public void saveOptimizerState(OutputStream out) {
        try {
            DataOutputStream data = new DataOutputStream(out);
            optimizer.save(data);
            if (average != null) {
                data.writeInt(TRAINED_WEIGHTS_MAGIC);
                data.writeInt(TRAINED_WEIGHTS_VERSION);
                data.writeLong(average.updates());
                writeNamedArrays(data, weights());
            }
            data.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Restores what {@link #saveOptimizerState} wrote. With weight averaging on, call it after
     * {@link #loadParameters} of the same checkpoint: the parameters loaded there are the average, and the trained
     * weights come from here.
     */
    public void loadOptimizerState(InputStream in) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : parameters) {
            shapes.put(pair.getKey(), pair.getValue().getArray().getShape());
        }
        try (GradMode off = GradMode.disabled(); NDManager scratch = manager.newSubManager()) {
            DataInputStream data = new DataInputStream(in);
            optimizer.load(data, shapes);
            if (average != null) {
                int magic;
                try {
                    magic = data.readInt();
                } catch (java.io.EOFException e) {
                    magic = 0;
                }
                if (magic != TRAINED_WEIGHTS_MAGIC) {
                    throw new IllegalArgumentException("this model averages its weights, and the optimizer state "
                            + "carries no trained weights (written without weight averaging?)");
                }
                int version = data.readInt();
                if (version != TRAINED_WEIGHTS_VERSION) {
                    throw new IllegalArgumentException("unsupported trained-weights version " + version);
                }
                long updates = data.readLong();
                List<NDArray> trained = readNamedArrays(data, scratch, "optimizer state");
                average.restore(weights(), updates);
                setWeights(trained);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** AdamW updates applied so far (restored by {@link #loadOptimizerState}). */
    public int optimizerSteps() {
        return optimizer.steps();
    }

    /** The block, for diagnostics that look inside it. */
    public I3dTeacher block() {
        return block;
    }

    @Override
    public void close() {
        if (average != null) {
            average.close();
        }
        optimizer.close();
        manager.close();
    }
}
