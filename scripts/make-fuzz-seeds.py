#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz tests (docs/fuzzing.md), except ONNX's (OnnxFuzzSeeds.java writes those).

Seeds are small valid (and a few nearly valid) inputs: fuzzing mutates them, and ./run-tests replays them.
Run from the repository root: scripts/make-fuzz-seeds.py [SHARED_DATA_DIR]. Needs only the standard library.
"""
import io
import json
import os
import struct
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data")


def inputs(module, package, cls, method):
    d = os.path.join(ROOT, module, "src/test/resources", package.replace(".", "/"), cls + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    return d


def write(d, name, data):
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


# safetensors: an 8-byte little-endian header length, the JSON header, the data buffer.
d = inputs("safetensors", "org.bert4j.safetensors", "SafetensorsFuzzTest", "openAnyBytes")


def safetensors(header, buf):
    h = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(h)) + h + buf


write(d, "two-f32", safetensors({"__metadata__": {"k": "v"}, "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                 "b": {"dtype": "F16", "shape": [1, 2], "data_offsets": [8, 12]}}, bytes(range(12))))
write(d, "all-dtypes", safetensors({t: {"dtype": t, "shape": [1], "data_offsets": [o, o + s]} for t, s, o in
                                    [("BF16", 2, 0), ("BOOL", 1, 2), ("F64", 8, 3), ("I16", 2, 11), ("I32", 4, 13),
                                     ("I64", 8, 17), ("I8", 1, 25), ("U8", 1, 26)]}, bytes(27)))
write(d, "empty-tensor-scalar", safetensors({"e": {"dtype": "F32", "shape": [0, 3], "data_offsets": [0, 0]},
                                             "s": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]}}, bytes(4)))
write(d, "empty-header", safetensors({}, b""))

# tokenizer.json: the tiny test vocabulary in the sections Hugging Face writes, and variants of them.
d = inputs("tokenizer", "org.bert4j.tokenizer", "TokenizerFuzzTest", "loadAnyTokenizerJson")
tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "##s", ".", "un", "##believ",
          "##able", ",", "hello", "world", "東", "##京", "ca", "##f", "##e"]
vocab = {t: i for i, t in enumerate(tokens)}
normalizer = {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None,
              "lowercase": True}
model = {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
         "vocab": vocab}
template = {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                               "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}}
added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False,
          "special": True} for i, t in enumerate(tokens[:5])]
full = {"version": "1.0", "truncation": None,
        "padding": {"strategy": "BatchLongest", "direction": "Right", "pad_to_multiple_of": None, "pad_id": 0,
                    "pad_type_id": 0, "pad_token": "[PAD]"},
        "added_tokens": added, "normalizer": normalizer, "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": template, "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True}, "model": model}
write(d, "full.json", json.dumps(full, ensure_ascii=False, indent=2))
write(d, "compact.json", json.dumps(full, ensure_ascii=False, separators=(",", ":")))
bert = dict(full, post_processor={"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
            normalizer={"type": "Sequence", "normalizers": [dict(normalizer, lowercase=False, strip_accents=True)]})
write(d, "bert-processing-cased.json", json.dumps(bert, ensure_ascii=True))
minimal = {"normalizer": None, "pre_tokenizer": {"type": "BertPreTokenizer"}, "model": {"vocab": vocab}}
write(d, "minimal.json", json.dumps(minimal))
write(d, "added-token-beyond-vocab.json", json.dumps(dict(full, added_tokens=added + [
    {"id": 23, "content": "<new>", "special": False}])))
write(d, "escaped-keys.json", json.dumps(dict(full, model=dict(model, vocab={**vocab, "\u00e9\\\"\n": 23}))))

d = inputs("tokenizer", "org.bert4j.tokenizer", "TokenizerFuzzTest", "encodeAnyText")
for i, text in enumerate(["Hello, world! How are you today?", "Un-believable: ça coûte 10€ à Zürich, n'est-ce pas?",
                          "東京タワーは高い。\u00e9t\u00e9 \u0301 \U0001F600 \u200b tab\there",
                          "supercalifragilisticexpialidocious " * 8, "[CLS] [MASK] ##s [SEP] [PAD] [UNK]",
                          "x\u0000y\ufffd\u00adz \u3000 \t\r\n e\u0301"]):
    write(d, "text-%d" % i, text.encode("utf-8") + bytes([1, 0, 2, 1, 40, 0, 0, 0, 1]))

# torch: TorchCheckpointFuzzTest's framing: 'Z' + a whole file, or data.pkl then storages split at #STORAGE#.
d = inputs("weights-converter", "org.bert4j.convert.torch", "TorchCheckpointFuzzTest", "readAnyCheckpoint")
fixtures = os.path.join(ROOT, "weights-converter/src/test/resources/torch")
for name in ["tiny_bert_torch_2_13.bin", "evil_os_system.bin"]:
    with zipfile.ZipFile(os.path.join(fixtures, name)) as z:
        prefix = name[:-4] + "/"
        storages = sorted((n for n in z.namelist() if n.startswith(prefix + "data/")), key=lambda n: int(n.split("/")[-1]))
        assert [n.split("/")[-1] for n in storages] == [str(i) for i in range(len(storages))]
        write(d, "framed-" + name, b"#STORAGE#".join([z.read(prefix + "data.pkl")] + [z.read(n) for n in storages]))
for name in ["legacy_format.bin", "evil_os_system.bin"]:
    with open(os.path.join(fixtures, name), "rb") as f:
        write(d, "whole-" + name, b"Z" + f.read())

# heads: CSV, JSONL, CoNLL and annotation cells.
d = inputs("heads", "org.bert4j.heads.data", "DataFuzzTest", "readAnyCsv")
with open(os.path.join(SHARED, "annotated_w_quotes.csv"), "rb") as f:
    seed_csv = f.read()
lines = seed_csv.split(b"\n")
write(d, "seed-first-3-rows.csv", b"\n".join(lines[:4]) + b"\n")
write(d, "quoted-crlf-bom.csv", "\ufeffheadline,short_description,category,annotations\r\n"
      "\"A \"\"quoted\"\" headline, with a comma\",\"two\nlines\",POLITICS,\"[('headline', 'THING')]\"\r\n"
      "\r\nplain,text,SPORTS,[]\r\n")
write(d, "no-annotations-column.csv", "headline,short_description,category\nx,y,z\n")

d = inputs("heads", "org.bert4j.heads.data", "DataFuzzTest", "readAnyJsonl")
with open(os.path.join(SHARED, "news_category_first8000.jsonl"), "rb") as f:
    news = f.read().split(b"\n")[:2]
write(d, "news-2-lines.jsonl", b"\n".join(news) + b"\n")
write(d, "annotations.jsonl", json.dumps({"headline": "Paris in spring", "short_description": "France",
                                          "category": "TRAVEL", "annotations": [["Paris", "CITY"], ["France", "COUNTRY"]]})
      + "\n\n" + json.dumps({"headline": "U.S. news", "short_description": "", "category": "U.S. NEWS",
                             "annotations": "[(‘U.S.’, ‘COUNTRY’)]"}) + "\n")
write(d, "token-tags.jsonl", json.dumps({"tokens": ["EU", "rejects", "German", "call"], "tags": ["B-ORG", "O", "B-MISC", "O"]})
      + "\n" + json.dumps({"tokens": ["New", "York"], "tags": ["B-LOC", "I-LOC"]}) + "\n")

d = inputs("heads", "org.bert4j.heads.data", "DataFuzzTest", "readAnyConll")
write(d, "conll2003.txt", "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n"
      "call NN I-NP O\n. . O O\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n")
write(d, "bioes-two-columns.txt", "New S-LOC\nYork E-LOC\n\r\nis O\n  \nnice O")

d = inputs("heads", "org.bert4j.heads.data", "DataFuzzTest", "parseAnyAnnotationCell")
for i, line in enumerate(lines[1:4]):
    text = line.decode("utf-8")
    cell = text[text.index('"[') + 1:text.index(']"') + 1]
    write(d, "seed-row-%d" % i, text.split(",")[1] + "\u0000" + cell)
write(d, "straight-escapes", "the toddler's toothbrush\u0000[('toddler\\'s toothbrush', 'THING'), (\"x\", \"Y\",),]")
print("seeds written")
