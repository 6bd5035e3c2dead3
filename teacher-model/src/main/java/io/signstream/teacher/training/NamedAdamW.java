package io.signstream.teacher.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (decoupled weight decay, torch.optim.AdamW's arithmetic) whose moments are keyed by parameter name,
 * so that its state can be saved and loaded: DJL's own Adam keeps state it cannot serialize, and a resumed
 * run must continue exactly where it stopped.
 */
public final class NamedAdamW implements AutoCloseable {

    private static final int MAGIC = 0x53534157; // "SSAW"
    private static final int VERSION = 1;

    private final NDManager manager;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private int steps;

    /** @param manager owns the moments (the model's manager, so they live on the parameters' device) */
    public NamedAdamW(NDManager manager, float beta1, float beta2, float epsilon, float weightDecay) {
        this.manager = manager;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /** Updates applied so far (the bias-correction step count). */
    public int steps() {
        return steps;
    }

    /**
     * Starts an update: call once per training step, before {@link #update} for each parameter.
     *
     * @param scope the step's manager; the step's coefficients live in it
     * @param gradientScale multiplies every gradient (the global-norm clip factor)
     */
    public Step beginStep(NDManager scope, float gradientScale, float learningRate) {
        steps++;
        return new Step(scope, gradientScale, learningRate);
    }

    /**
     * One step's coefficients as 0-d arrays, made once and shared by every parameter: a plain number in an
     * NDArray op costs DJL three native calls (create, op, close), and AdamW has ten of them per parameter.
     */
    public final class Step {
        private final NDManager scope;
        private final NDArray beta1Array;
        private final NDArray firstScale;
        private final NDArray beta2Array;
        private final NDArray secondScale;
        private final NDArray correction2;
        private final NDArray epsilonArray;
        private final NDArray stepSize;
        private final NDArray decay;

        private Step(NDManager scope, float gradientScale, float learningRate) {
            this.scope = scope;
            double correction1 = 1 - Math.pow(beta1, steps);
            beta1Array = scope.create(beta1);
            firstScale = scope.create((1f - beta1) * gradientScale);
            beta2Array = scope.create(beta2);
            secondScale = scope.create((1f - beta2) * gradientScale * gradientScale);
            correction2 = scope.create((float) (1 / Math.sqrt(1 - Math.pow(beta2, steps))));
            epsilonArray = scope.create(epsilon);
            stepSize = scope.create((float) (learningRate / correction1));
            decay = scope.create(1f - learningRate * weightDecay);
        }

        /**
         * Updates one parameter in place, torch.optim.AdamW's arithmetic, with grad mode off (in-place ops on
         * leaves), whatever the calling thread's mode; must run outside a GradientCollector.
         *
         * @param decayed whether weight decay applies (not to biases and norm parameters)
         */
        public void update(String name, NDArray parameter, NDArray gradient, boolean decayed) {
            try (GradMode off = GradMode.disabled(); NDManager local = scope.newSubManager()) {
                NDArray m = firstMoments.computeIfAbsent(name, k -> parameter.zerosLike());
                NDArray v = secondMoments.computeIfAbsent(name, k -> parameter.zerosLike());
                // Derived arrays belong to the first operand's manager: borrow the long-lived ones into this scope.
                m.tempAttach(local);
                v.tempAttach(local);
                parameter.tempAttach(local);
                if (decayed && weightDecay > 0) {
                    parameter.muli(decay);
                }
                m.muli(beta1Array).addi(gradient.mul(firstScale));
                v.muli(beta2Array).addi(gradient.square().muli(secondScale));
                NDArray denominator = v.sqrt().muli(correction2).addi(epsilonArray);
                parameter.subi(m.div(denominator).muli(stepSize));
            }
        }
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(steps);
        out.writeInt(firstMoments.size());
        for (Map.Entry<String, NDArray> entry : firstMoments.entrySet()) {
            out.writeUTF(entry.getKey());
            writeArray(out, entry.getValue());
            writeArray(out, secondMoments.get(entry.getKey()));
        }
    }

    /**
     * Replaces the state with a saved one.
     *
     * @param shapes the current parameters' shapes by name: a state for a different model is refused
     */
    public void load(DataInputStream in, Map<String, Shape> shapes) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IllegalArgumentException("not an optimizer state written by NamedAdamW");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported optimizer state version " + version);
        }
        int savedSteps = in.readInt();
        int count = in.readInt();
        Map<String, NDArray> first = new LinkedHashMap<>();
        Map<String, NDArray> second = new LinkedHashMap<>();
        try {
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                NDArray m = readArray(in);
                NDArray v = readArray(in);
                first.put(name, m);
                second.put(name, v);
                Shape expected = shapes.get(name);
                if (expected == null || !expected.equals(m.getShape()) || !expected.equals(v.getShape())) {
                    throw new IllegalArgumentException("optimizer state for '" + name + "' does not fit this model");
                }
            }
        } catch (RuntimeException | IOException e) {
            first.values().forEach(NDArray::close);
            second.values().forEach(NDArray::close);
            throw e;
        }
        close();
        firstMoments.putAll(first);
        secondMoments.putAll(second);
        steps = savedSteps;
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] encoded = array.encode();
        out.writeInt(encoded.length);
        out.write(encoded);
    }

    private NDArray readArray(DataInputStream in) throws IOException {
        byte[] encoded = new byte[in.readInt()];
        in.readFully(encoded);
        return NDArray.decode(manager, encoded);
    }

    @Override
    public void close() {
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
    }
}
