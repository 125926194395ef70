# Oracle for QuantizationTest: the formula of sentence_transformers.util.quantization.quantize_embeddings
# (sentence-transformers main, 2026), evaluated with NumPy float32 arithmetic.
import numpy as np
def q(emb, precision, ranges=None):
    if precision.endswith("int8"):
        if ranges is None:
            ranges = np.vstack((np.min(emb, axis=0), np.max(emb, axis=0)))
        ranges = ranges.astype(np.float32, copy=False)
        starts = ranges[0, :]
        steps = (ranges[1, :] - starts) / 255
        steps = np.where(steps == 0, 1, steps)
        qv = np.clip(np.floor((emb - starts) / steps), 0, 255)
        return qv.astype(np.uint8) if precision == "uint8" else (qv - 128).astype(np.int8)
    if precision == "binary":
        return (np.packbits(emb > 0, axis=-1) - 128).astype(np.int8)
    return np.packbits(emb > 0, axis=-1)
rng = np.random.default_rng(16)
emb = rng.normal(0, 0.1, size=(5, 11)).astype(np.float32)
emb[:, 3] = np.float32(0.25)          # a constant dimension: empty range, step 1
emb[2, 5] = np.float32(0.0)           # exactly 0 is not > 0
def jf(a): return "{" + ", ".join(repr(float(x)) + "f" for x in a) + "}"
def ji(a): return "{" + ", ".join(str(int(x)) for x in a) + "}"
print("float[][] EMB = {"); [print("    " + jf(r) + ",") for r in emb]; print("};")
for p in ["int8", "uint8", "binary", "ubinary"]:
    out = q(emb, p)
    print("int[][] " + p.upper() + " = {"); [print("    " + ji(r) + ",") for r in out]; print("};")
cal = rng.normal(0, 0.05, size=(7, 11)).astype(np.float32)
print("float[][] CAL = {"); [print("    " + jf(r) + ",") for r in cal]; print("};")
print("int[][] UINT8_CAL = {"); [print("    " + ji(r) + ",") for r in q(emb, "uint8", np.vstack((cal.min(0), cal.max(0))))]; print("};")
