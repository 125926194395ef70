package org.bert4j.engine.kernels;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractedOpenBlasTest {

    @Test
    void onceOpenBlasHasLoadedItsExtractedCopyIsFoundAndUsable() {
        // Loading through either path leaves JavaCPP's extracted copy behind (the first run extracts it).
        assertTrue(OpenBlas.unavailableReason().isEmpty(), () -> OpenBlas.unavailableReason().orElse(""));
        Optional<Path> found = ExtractedOpenBlas.find();
        if (Files.isDirectory(ExtractedOpenBlas.cacheDir())) {
            assertTrue(found.isPresent(), "no complete libopenblas.so.0 under " + ExtractedOpenBlas.cacheDir());
            assertEquals("libopenblas.so.0", found.get().getFileName().toString());
            assertTrue(found.get().startsWith(ExtractedOpenBlas.cacheDir()), found.get().toString());
        }
        // And the library in use computes: 1×2 · (2×1) = 11.
        float[] y = new float[1];
        try (ComputePool pool = ComputePool.create(1)) {
            Gemm gemm = Backends.openBlas(Kernels.scalar(), pool);
            gemm.linear(new float[] {1, 2}, 1, gemm.pack(new float[] {3, 4}, 1, 2), new float[] {0}, y);
        }
        assertEquals(11f, y[0]);
    }
}
