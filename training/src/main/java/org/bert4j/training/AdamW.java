package org.bert4j.training;

import org.bert4j.engine.kernels.ComputePool;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019), step for step PyTorch's {@code torch.optim.AdamW}:
 * θ ← θ·(1 − lr·λ), then m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂ / (√v̂ + ε) with bias-corrected
 * m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Decay applies only to parameters marked for it (not biases, not LayerNorm).
 *
 * <p>As in PyTorch after {@code zero_grad(set_to_none=True)}, a tensor with no gradient this step (the head of a
 * task that had no batch in it) is skipped: no decay, no moment update. So t counts each tensor's own updates, as
 * PyTorch's per-parameter {@code state['step']} does; otherwise an idle head would drift on stale momentum.
 */
public final class AdamW {

    private final List<Parameter> parameters;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final float[][] m;
    private final float[][] v;
    private final int[] parameterSteps;
    /** Each parameter's learning rate as a multiple of the step's: 1 but for parameter groups. */
    private final double[] lrScale;
    private final List<ParameterChunks.Chunk> chunks;
    private int step;

    /** PyTorch's defaults β = (0.9, 0.999), ε = 1e-8, with the given weight decay. */
    public AdamW(List<Parameter> parameters, double weightDecay) {
        this(parameters, 0.9, 0.999, 1e-8, weightDecay);
    }

    /** An optimiser over {@code parameters} with explicit hyper-parameters. */
    public AdamW(List<Parameter> parameters, double beta1, double beta2, double epsilon, double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0 && weightDecay >= 0)) {
            throw new IllegalArgumentException("bad AdamW hyper-parameters: beta1=" + beta1 + " beta2=" + beta2
                    + " eps=" + epsilon + " weightDecay=" + weightDecay);
        }
        this.parameters = List.copyOf(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.m = new float[this.parameters.size()][];
        this.v = new float[this.parameters.size()][];
        this.parameterSteps = new int[this.parameters.size()];
        this.lrScale = new double[this.parameters.size()];
        java.util.Arrays.fill(lrScale, 1.0);
        this.chunks = ParameterChunks.of(this.parameters);
        for (int p = 0; p < this.parameters.size(); p++) {
            m[p] = new float[this.parameters.get(p).size()];
            v[p] = new float[this.parameters.get(p).size()];
        }
    }

    /**
     * Gives {@code parameter} the learning rate {@code scale} times the step's: PyTorch's parameter groups, as
     * fine-tuning uses them (a fresh head learns faster than pretrained layers, lower layers slower than upper ones).
     */
    public void setLearningRateScale(Parameter parameter, double scale) {
        int index = parameters.indexOf(parameter);
        if (index < 0) {
            throw new IllegalArgumentException(parameter.name() + " is not one of this optimiser's parameters");
        }
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("learning-rate scale must be >= 0, got " + scale);
        }
        lrScale[index] = scale;
    }

    /** One update, at learning rate {@code lr}, of every parameter a backward pass reached since its last zeroGrad. */
    public void step(double baseLr) {
        step(baseLr, null);
    }

    /**
     * {@link #step(double)} spread over {@code pool} (null: this thread). Each element's update depends on that
     * element alone, so the threads change nothing in the result.
     */
    public void step(double baseLr, ComputePool pool) {
        step(baseLr, 1f, pool, false);
    }

    /**
     * {@link #step(double, ComputePool)} and then PyTorch's {@code zero_grad()}, in one pass: each gradient is
     * cleared as its update reads it, so the next batch starts from zero without another pass over memory, and
     * every parameter reads as not reached by a backward pass.
     */
    public void stepAndZeroGrad(double baseLr, ComputePool pool) {
        stepAndZeroGrad(baseLr, 1f, pool);
    }

    /**
     * {@link #stepAndZeroGrad(double, ComputePool)} with every gradient multiplied by {@code gradScale} as it is read:
     * clipping's {@link GradientClipping#scale scale} applied in the same pass, the same bits as scaling the
     * gradients first.
     */
    public void stepAndZeroGrad(double baseLr, float gradScale, ComputePool pool) {
        step(baseLr, gradScale, pool, true);
        for (Parameter parameter : parameters) {
            parameter.markUnreached();
        }
    }

    private void step(double baseLr, float gradScale, ComputePool pool, boolean zeroGrad) {
        step++;
        int n = parameters.size();
        boolean[] updated = new boolean[n];
        double[] lr = new double[n];
        double[] correction1 = new double[n];
        double[] correction2 = new double[n];
        double[] decay = new double[n];
        for (int p = 0; p < n; p++) {
            Parameter parameter = parameters.get(p);
            if (!parameter.hasGrad()) {
                continue;
            }
            updated[p] = true;
            lr[p] = baseLr * lrScale[p];
            int t = ++parameterSteps[p];
            correction1[p] = 1 - Math.pow(beta1, t);
            correction2[p] = 1 - Math.pow(beta2, t);
            decay[p] = parameter.decay() ? 1 - lr[p] * weightDecay : 1;
        }
        ParameterChunks.forEach(chunks, pool, c -> {
            ParameterChunks.Chunk chunk = chunks.get(c);
            int p = chunk.parameter();
            if (updated[p]) {
                update(parameters.get(p).value(), parameters.get(p).grad(), m[p], v[p], chunk.from(), chunk.to(),
                        lr[p], correction1[p], correction2[p], decay[p], gradScale, zeroGrad);
            } else if (zeroGrad) {
                java.util.Arrays.fill(parameters.get(p).grad(), chunk.from(), chunk.to(), 0f);
            }
        });
    }

    /**
     * The update of elements [from, to), in float and in the order of PyTorch's single-tensor AdamW: the pass reads
     * and writes four arrays per element and is bound by memory, so float moments move half the bytes of double.
     */
    private void update(float[] theta, float[] g, float[] mp, float[] vp, int from, int to, double lr,
                        double correction1, double correction2, double decay, float gradScale, boolean zeroGrad) {
        float decayF = (float) decay;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float correction2Sqrt = (float) Math.sqrt(correction2);
        float eps = (float) epsilon;
        float negativeStep = (float) (-lr / correction1);
        for (int i = from; i < to; i++) {
            float gi = g[i] * gradScale;
            float mi = mp[i] * b1 + oneMinusB1 * gi;
            float vi = vp[i] * b2 + oneMinusB2 * gi * gi;
            mp[i] = mi;
            vp[i] = vi;
            float denominator = (float) Math.sqrt(vi) / correction2Sqrt + eps;
            theta[i] = theta[i] * decayF + negativeStep * mi / denominator;
            if (zeroGrad) {
                g[i] = 0f;
            }
        }
    }

    /** Parameter p's first moments m (live; a checkpoint reads them). */
    public float[] firstMoments(int p) {
        return m[p];
    }

    /** Parameter p's second moments v (live; a checkpoint reads them). */
    public float[] secondMoments(int p) {
        return v[p];
    }

    /** How many steps updated parameter p (its bias correction's t). */
    public int parameterSteps(int p) {
        return parameterSteps[p];
    }

    /**
     * Puts the optimiser back where a checkpoint found it: its step count and each parameter's step count and
     * moments (in the order of the parameters it was made with), so that training resumes as if never stopped.
     */
    public void restore(int steps, int[] perParameterSteps, float[][] first, float[][] second) {
        if (perParameterSteps.length != parameters.size() || first.length != parameters.size()
                || second.length != parameters.size()) {
            throw new IllegalArgumentException("the checkpoint has " + perParameterSteps.length
                    + " parameters' state, the optimiser " + parameters.size());
        }
        for (int p = 0; p < parameters.size(); p++) {
            if (first[p].length != m[p].length || second[p].length != v[p].length) {
                throw new IllegalArgumentException(parameters.get(p).name() + ": the checkpoint's moments hold "
                        + first[p].length + " values, the parameter " + m[p].length);
            }
            System.arraycopy(first[p], 0, m[p], 0, m[p].length);
            System.arraycopy(second[p], 0, v[p], 0, v[p].length);
            parameterSteps[p] = perParameterSteps[p];
        }
        step = steps;
    }

    /** The number of steps taken (what the learning-rate schedule counts). */
    public int steps() {
        return step;
    }

    /** How many of those steps updated {@code parameter} (its bias correction's t). */
    public int steps(Parameter parameter) {
        int index = parameters.indexOf(parameter);
        if (index < 0) {
            throw new IllegalArgumentException(parameter.name() + " is not one of this optimiser's parameters");
        }
        return parameterSteps[index];
    }
}
