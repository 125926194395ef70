package org.bert4j.engine.kernels;

import jdk.incubator.vector.FloatVector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ServiceLoader;

/**
 * Loads a copy of the vector kernel classes (package {@code org.bert4j.engine.kernels.simd}) for one vector width.
 *
 * <p>The Vector API compiles a loop to SIMD instructions only when its species is a constant to the JIT; a species
 * read from an instance field made a dot product 7× slower here, and 24× once two widths shared the code. So the
 * kernel classes read their species from a {@code static final} field, initialised from the class loader that
 * defined them, and each width gets its own loader and thus its own classes, compiled separately with their own
 * constant. The same bytes serve every width; nothing is generated. Each width is loaded once per JVM, on first use
 * (its holder class below), like any other class.
 *
 * <p>Only the kernel package is defined here; every other class comes from the engine's own loader, so the copies
 * share {@link Kernels}, {@link ComputePool} and the rest.
 */
public final class VectorWidthLoader extends ClassLoader {

    static final String PACKAGE = "org.bert4j.engine.kernels.simd.";

    private final int bits;

    private VectorWidthLoader(int bits) {
        super("bert4j-vector-" + bits, VectorWidthLoader.class.getClassLoader());
        this.bits = bits;
    }

    /** The vector width, in bits, of the classes this loader defines. */
    public int bits() {
        return bits;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(PACKAGE)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] bytes = read(name);
                c = defineClass(name, bytes, 0, bytes.length, VectorWidthLoader.class.getProtectionDomain());
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private byte[] read(String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = getParent().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    /** The kernels of one width: the service the kernel package provides, as defined by a loader of that width. */
    private static Kernels load(int bits) {
        return ServiceLoader.load(Kernels.class, new VectorWidthLoader(bits)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the vector kernels (" + PACKAGE
                        + "VectorKernels) are not on the class path"));
    }

    private static final class W128 {
        static final Kernels KERNELS = load(128);
    }

    private static final class W256 {
        static final Kernels KERNELS = load(256);
    }

    private static final class W512 {
        static final Kernels KERNELS = load(512);
    }

    static Kernels kernels(int bits) {
        return switch (bits) {
            case 128 -> W128.KERNELS;
            case 256 -> W256.KERNELS;
            case 512 -> W512.KERNELS;
            default -> throw new IllegalArgumentException("vector width must be 128, 256 or 512 bits, got " + bits);
        };
    }

    /** The machine's preferred width; on a machine whose vectors are narrower than 128 bits, 128 (emulated). */
    static Kernels preferred() {
        return kernels(Math.max(128, Math.min(512, FloatVector.SPECIES_PREFERRED.vectorBitSize())));
    }
}
