"""A tiny safetensors reader/writer (no dependency beyond numpy; torch optional).

Format: 8-byte little-endian unsigned header length N, then N bytes of UTF-8 JSON
{name: {"dtype", "shape", "data_offsets": [begin, end]}, optional "__metadata__": {str: str}},
then the raw little-endian data buffer the offsets point into.

The writer is deterministic: tensors are laid out back to back in sorted name order, the
header is compact JSON with sorted keys, padded with spaces so the data starts 8-byte aligned.
Supported dtypes: F32, F64, I64 (the only ones the fixtures use).
"""
import json
import struct

import numpy as np

_DTYPES = {
    "F32": np.dtype("<f4"),
    "F64": np.dtype("<f8"),
    "I64": np.dtype("<i8"),
}


def _dtype_name(arr):
    for name, dt in _DTYPES.items():
        if arr.dtype == dt or arr.dtype == dt.newbyteorder("="):
            return name
    raise ValueError("unsupported dtype %s" % arr.dtype)


def _to_numpy(t):
    try:
        import torch
        if isinstance(t, torch.Tensor):
            return t.detach().cpu().contiguous().numpy()
    except ImportError:
        pass
    return np.asarray(t)


def save(tensors, path, metadata=None):
    """Write a dict name -> array/tensor to path. Returns the bytes written."""
    header = {}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        if name == "__metadata__" or not name:
            raise ValueError("bad tensor name %r" % name)
        arr = _to_numpy(tensors[name])
        dtype = _dtype_name(arr)
        data = np.ascontiguousarray(arr, dtype=_DTYPES[dtype]).tobytes(order="C")
        header[name] = {"dtype": dtype, "shape": [int(d) for d in arr.shape],
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    text += b" " * ((-len(text)) % 8)
    blob = struct.pack("<Q", len(text)) + text + b"".join(chunks)
    with open(path, "wb") as f:
        f.write(blob)
    return blob


def load(path, with_metadata=False):
    """Read path into a dict name -> numpy array (and the metadata dict if asked)."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    base = 8 + n
    metadata = header.pop("__metadata__", {}) or {}
    out = {}
    for name, info in header.items():
        dtype = info["dtype"]
        if dtype not in _DTYPES:
            raise ValueError("%s: unsupported dtype %s" % (name, dtype))
        begin, end = info["data_offsets"]
        arr = np.frombuffer(blob[base + begin:base + end], dtype=_DTYPES[dtype])
        out[name] = arr.reshape(info["shape"]).copy()
    return (out, metadata) if with_metadata else out


def load_torch(path, with_metadata=False):
    """Like load, but torch tensors."""
    import torch
    tensors, metadata = load(path, with_metadata=True)
    out = {k: torch.from_numpy(v) for k, v in tensors.items()}
    return (out, metadata) if with_metadata else out
