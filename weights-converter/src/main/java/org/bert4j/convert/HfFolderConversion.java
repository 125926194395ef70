package org.bert4j.convert;

import java.nio.file.Path;

/** PyTorch state dicts and safetensors folders → model folder. */
final class HfFolderConversion {

    private HfFolderConversion() {}

    static Path convertTorch(Path bin, Path outDir, ConvertOptions options) throws ConversionException {
        throw new ConversionException(bin + ": PyTorch checkpoints are not supported yet");
    }

    static Path convertSafetensors(Path dir, Path outDir, ConvertOptions options) throws ConversionException {
        throw new ConversionException(dir + ": safetensors folders are not supported yet");
    }
}
