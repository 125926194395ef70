package org.bert4j.training;

/**
 * The learning-rate multiplier of Hugging Face's {@code get_linear_schedule_with_warmup}: rising linearly from 0
 * over the warm-up steps, then falling linearly to 0 at the last step. Step k (0-based) of the optimiser runs
 * at {@code peak · factor(k)}, as PyTorch's LambdaLR applies it (so with warm-up the very first step has lr 0).
 */
public record LinearSchedule(int warmupSteps, int totalSteps) {

    public LinearSchedule {
        if (warmupSteps < 0 || totalSteps <= 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0 and totalSteps > 0, got " + warmupSteps
                    + ", " + totalSteps);
        }
    }

    /** The multiplier for 0-based optimiser step {@code step}. */
    public double factor(int step) {
        if (step < warmupSteps) {
            return (double) step / Math.max(1, warmupSteps);
        }
        return Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }
}
