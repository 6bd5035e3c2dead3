package io.signstream.teacher.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of a model's weights (Polyak averaging), kept on the weights' device. After the
 * n-th applied update (n from 0): {@code average = d * average + (1 - d) * weights} with
 * {@code d = min(decay, (1 + n) / (10 + n))}. The ramp lets the average follow the weights while they move fast
 * (it spans roughly the last tenth of the updates made so far) instead of holding on to the initialization, and
 * caps it at {@code decay} for long runs.
 */
public final class WeightAverage implements AutoCloseable {

    private final float decay;
    private final List<NDArray> averages = new ArrayList<>();
    private long updates;

    /** Starts the average at the current weights (copies, owned by each weight's manager). */
    public WeightAverage(List<NDArray> weights, float decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("decay must be in (0, 1)");
        }
        this.decay = decay;
        try (GradMode off = GradMode.disabled()) {
            for (NDArray weight : weights) {
                averages.add(weight.duplicate());
            }
        }
    }

    /** The factor the average keeps at update {@code update} (counted from 0). */
    public static float decayAt(float decay, long update) {
        return (float) Math.min(decay, (1.0 + update) / (10.0 + update));
    }

    /**
     * Moves the average towards {@code weights} (same order and shapes as at construction), in place.
     *
     * @param scope the caller's step manager; this update's temporaries live and die in a child of it
     */
    public void update(NDManager scope, List<NDArray> weights) {
        float d = decayAt(decay, updates);
        try (GradMode off = GradMode.disabled(); NDManager local = scope.newSubManager()) {
            NDArray keep = local.create(d);
            NDArray take = local.create(1f - d);
            for (int i = 0; i < averages.size(); i++) {
                NDArray average = averages.get(i);
                NDArray weight = weights.get(i);
                // Derived arrays belong to the first operand's manager: borrow both into this scope.
                average.tempAttach(local);
                weight.tempAttach(local);
                average.muli(keep).addi(weight.mul(take));
            }
        }
        updates++;
    }

    /** Updates applied so far (what the next decay depends on). */
    public long updates() {
        return updates;
    }

    /** The averaged arrays, in the order of the weights. */
    public List<NDArray> arrays() {
        return List.copyOf(averages);
    }

    /** Replaces the average (values copied in place) and the update count, e.g. from a checkpoint. */
    public void restore(List<NDArray> values, long updateCount) {
        if (values.size() != averages.size() || updateCount < 0) {
            throw new IllegalArgumentException("an average of " + values.size() + " arrays after " + updateCount
                    + " updates does not fit this model's " + averages.size());
        }
        try (GradMode off = GradMode.disabled()) {
            for (int i = 0; i < averages.size(); i++) {
                if (!values.get(i).getShape().equals(averages.get(i).getShape())) {
                    throw new IllegalArgumentException("averaged array " + i + " " + values.get(i).getShape()
                            + " does not fit " + averages.get(i).getShape());
                }
            }
            for (int i = 0; i < averages.size(); i++) {
                averages.get(i).set(values.get(i).toByteBuffer());
            }
        }
        updates = updateCount;
    }

    @Override
    public void close() {
        averages.forEach(NDArray::close);
        averages.clear();
    }
}
