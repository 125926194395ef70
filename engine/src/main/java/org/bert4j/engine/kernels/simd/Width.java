package org.bert4j.engine.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.bert4j.engine.kernels.VectorWidthLoader;

/**
 * The vector species every kernel of this package computes with: a constant to the JIT, as the Vector API needs it
 * to emit SIMD instructions. Its width is the one of the {@link VectorWidthLoader} that defined this copy of the
 * package (the machine's preferred width when an ordinary class loader did, as in this package's own tests).
 */
final class Width {
    private Width() {}

    static final VectorSpecies<Float> SPECIES = speciesOf(Width.class.getClassLoader());

    private static VectorSpecies<Float> speciesOf(ClassLoader loader) {
        int bits = loader instanceof VectorWidthLoader width ? width.bits()
                : FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }
}
