# How the files beside this script were made (PyTorch 2.13.0+cpu, safetensors 0.8.0, numpy); run in this folder.
# They are committed because the build has no Python: RealTorchFilesTest reads them.
import collections
import os

import torch
from safetensors.numpy import save_file

torch.manual_seed(0)
H, I, V, P = 4, 8, 12, 6
shapes = collections.OrderedDict()
shapes["embeddings.word_embeddings.weight"] = (V, H)
shapes["embeddings.position_embeddings.weight"] = (P, H)
shapes["embeddings.token_type_embeddings.weight"] = (2, H)
shapes["embeddings.LayerNorm.weight"] = (H,)
shapes["embeddings.LayerNorm.bias"] = (H,)
p = "encoder.layer.0."
for m in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]:
    shapes[p + m + ".weight"] = (H, H)
    shapes[p + m + ".bias"] = (H,)
shapes[p + "attention.output.LayerNorm.weight"] = (H,)
shapes[p + "attention.output.LayerNorm.bias"] = (H,)
shapes[p + "intermediate.dense.weight"] = (I, H)
shapes[p + "intermediate.dense.bias"] = (I,)
shapes[p + "output.dense.weight"] = (H, I)
shapes[p + "output.dense.bias"] = (H,)
shapes[p + "output.LayerNorm.weight"] = (H,)
shapes[p + "output.LayerNorm.bias"] = (H,)
sd = collections.OrderedDict()
sd["bert.embeddings.position_ids"] = torch.arange(P).unsqueeze(0)
for k, s in shapes.items():
    sd["bert." + k] = torch.randn(*s)
# Views exactly as torch.save keeps them: a transposed weight, and two biases sharing one storage.
wt = torch.randn(H, H)
sd["bert." + p + "attention.self.key.weight"] = wt.t()
both = torch.randn(2 * H + 1)
sd["bert." + p + "attention.self.query.bias"] = both[1:H + 1]
sd["bert." + p + "attention.self.value.bias"] = both[H + 1:]
# Half-precision tensors of a classifier head, kept as they are.
sd["classifier.weight"] = torch.randn(3, H).to(torch.float16)
sd["classifier.bias"] = torch.randn(3).to(torch.bfloat16)
torch.save(sd, "tiny_bert_torch_2_13.bin")
expected = {k: (v.float() if v.dtype in (torch.float16, torch.bfloat16) else v).contiguous().numpy() for k, v in sd.items()}
save_file(expected, "tiny_bert_expected.safetensors", metadata={"torch": torch.__version__})
# The legacy (pre-zip) format, and a pickle that would run a command if loaded with torch.load.
torch.save({"w": torch.ones(2)}, "legacy_format.bin", _use_new_zipfile_serialization=False)


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


torch.save({"w": torch.ones(2), "x": Evil()}, "evil_os_system.bin")
