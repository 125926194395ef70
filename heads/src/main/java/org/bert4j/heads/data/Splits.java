package org.bert4j.heads.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Seeded train/dev splits: the same seed gives the same split on every machine (java.util.Random is specified). */
public final class Splits {

    /** The two halves of a split. */
    public record Split<T>(List<T> train, List<T> dev) {
        public Split {
            train = List.copyOf(train);
            dev = List.copyOf(dev);
        }
    }

    private Splits() {
    }

    /** Shuffles a copy of {@code items} with {@code seed} and puts {@code devFraction} of them (rounded) in dev. */
    public static <T> Split<T> trainDev(List<T> items, double devFraction, long seed) {
        if (!(devFraction >= 0 && devFraction < 1)) {
            throw new IllegalArgumentException("devFraction must be in [0, 1), got " + devFraction);
        }
        List<T> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, new Random(seed));
        int dev = (int) Math.round(items.size() * devFraction);
        if (devFraction > 0 && dev == 0 && items.size() > 1) {
            dev = 1; // a dev fraction was asked for: never leave dev empty
        }
        return new Split<>(shuffled.subList(dev, shuffled.size()), shuffled.subList(0, dev));
    }
}
