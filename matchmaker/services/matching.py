"""Stored suggestions, kept in step with the listings by the pure matching engine.

Each process keeps one `MatchIndex` (building it reads every active listing once). Every change
to a listing appends a `ListingChange` row in the same transaction; before matching, a process
replays the rows it has not seen, so several gunicorn workers stay consistent without sharing
memory. Stored rows follow one rule: a pair nobody has acted on ("suggested") is the engine's to
replace or drop; a pair a person has acted on keeps its status, and a rejected pair comes back
only when one of its listings changed materially.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, insert, or_, update
from sqlalchemy.engine import Row
from sqlmodel import Session, col, func, select

from matchmaker.db import chunks, refresh_planner_statistics
from matchmaker.domain import workflow
from matchmaker.matching.explain import render as render_reason
from matchmaker.matching.parallel import gc_paused
from matchmaker.matching.records import PairBatch, Reason
from matchmaker.matching.records import Suggestion as EngineSuggestion
from matchmaker.models import Listing, ListingChange, Suggestion, SuggestionEvent
from matchmaker.models._time import utcnow
from matchmaker.services.bulk_indexes import indexes_set_aside, sets_indexes_aside
from matchmaker.services.embeddings import Progress, fill_missing
from matchmaker.services.matcher import Matcher, bulk_is_faster
from matchmaker.services.suggestion_rows import RowEncoder, row_values

UNTOUCHED = workflow.Status.SUGGESTED.value
FEED_KEEP = timedelta(hours=24)  # `matchmaker match` prunes older feed rows (see matcher.REPLAY_LIMIT)
REJECTED = workflow.Status.REJECTED.value


def listing_signature(listing: Listing | Row) -> str:
    """What makes a listing materially different: what, how much, how often, where it points."""
    material = "\x1f".join(str(v) for v in (
        listing.direction, listing.kind, listing.title.strip().casefold(),
        listing.description.strip().casefold(), listing.quantity, listing.unit,
        listing.frequency))
    if listing.unit_written:  # only when written apart from `unit`, so older signatures hold
        material += "\x1f" + listing.unit_written
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def record_changes(session: Session, listing_ids: Iterable[int], matched: bool = False) -> None:
    """Append the listings to the change feed (one executemany: a bulk import adds 50,000);
    `matched` when this transaction re-matches them too."""
    now = utcnow()
    rows = [{"listing_id": listing_id, "created_at": now, "matched_at": now if matched else None}
            for listing_id in sorted(set(listing_ids))]
    if rows:
        session.execute(insert(ListingChange), rows)


def matches_in_bulk(session: Session, changed: int) -> bool:
    """Whether `changed` listings are re-matched faster by one full recompute than one by one
    (`bulk_is_faster`): an import of a few listings into a large registry stays incremental,
    a registry's first import is one recompute."""
    total = session.exec(select(func.count()).select_from(Listing)).one()
    return bulk_is_faster(changed, total - changed)


@dataclass
class StoreReport:
    created: int = 0
    updated: int = 0
    removed: int = 0
    reopened: int = 0
    unchanged: int = 0
    kept: int = 0  # acted-on pairs whose status the engine left alone

    def wrote(self) -> bool:
        return bool(self.created or self.updated or self.removed or self.reopened)


def store_suggestions(session: Session, found: Iterable[PairBatch | list[EngineSuggestion]],
                      scope: set[int] | None) -> StoreReport:
    """Write the engine's pairs (in batches); drop untouched pairs of `scope` listings (None:
    all) it no longer suggests. Does not commit: the caller's transaction decides.

    Works on plain rows and bulk statements: a full recompute writes millions at 100k
    companies, so batches are written and dropped one at a time; with `scope` None they must
    come ordered by offer listing id (`iter_pair_batches(by_offer=True)`), and the stored rows are
    read range by range alongside (all of them at once took 4.9 GB at 100k). The garbage
    collector is paused meanwhile: the rows are acyclic, and its passes over the growing heap
    cost more than the writing.
    """
    report = StoreReport()
    batches = (b if isinstance(b, PairBatch) else PairBatch.of(b) for b in found)
    with gc_paused():
        signatures: dict[int, str] = {}
        encoder = RowEncoder(session)
        if scope is None:
            stale = _store_everything(session, batches, signatures, encoder, report)
        else:
            existing = {(row.offer_listing_id, row.need_listing_id): row for row in session.exec(
                select(*_STORED).where(or_(col(Suggestion.offer_listing_id).in_(scope),
                                           col(Suggestion.need_listing_id).in_(scope))))}
            for batch in batches:
                _add_signatures(session, batch, signatures)
                _store_batch(session, batch, existing, signatures, encoder, report)
            stale = [row.id for row in existing.values() if _is_stale(row)]
    for chunk in chunks(stale):
        session.execute(delete(Suggestion).where(col(Suggestion.id).in_(chunk)))
    report.removed = len(stale)
    encoder.new.notify(session)
    return report


#: what `_store_batch` compares a found pair with
_STORED = (Suggestion.id, Suggestion.offer_listing_id, Suggestion.need_listing_id,
           Suggestion.status, Suggestion.origin, Suggestion.offer_signature,
           Suggestion.need_signature, Suggestion.score, Suggestion.distance_km,
           Suggestion.settings_version)


def _is_stale(row: Row) -> bool:
    return row.status == UNTOUCHED and row.origin == "engine"


def _add_signatures(session: Session, batch: PairBatch, signatures: dict[int, str]) -> None:
    signatures.update(_signatures(session, {
        i for ids in (batch.offer_ids, batch.need_ids) for i in ids if i not in signatures}))


def _store_everything(session: Session, found: Iterable[PairBatch],
                      signatures: dict[int, str], encoder: RowEncoder, report: StoreReport
                      ) -> list[int]:
    """A merge of the engine's pairs, ordered by offer listing id (`iter_pair_batches(by_offer=
    True)`), with the stored rows read range by range of offer ids: each stored row is read
    once, and only those of the offers at hand are held. Returns the stale rows' ids."""
    stale: list[int] = []
    pending: dict = {}  # stored rows read but not met yet, by (offer, need)
    read_up_to = 0  # stored rows with offer ids up to this one are in `pending` or dealt with

    def read(above: int, up_to: int | None) -> None:
        query = select(*_STORED).where(col(Suggestion.offer_listing_id) > above)
        if up_to is not None:
            query = query.where(col(Suggestion.offer_listing_id) <= up_to)
        for row in session.connection().execute(query):  # Core rows: no ORM loading for 300,000
            pending[(row.offer_listing_id, row.need_listing_id)] = row

    for batch in found:
        if not batch:
            continue
        first_offer, last_offer = min(batch.offer_ids), max(batch.offer_ids)
        if first_offer < read_up_to:  # rows of that offer may have been judged stale already
            raise ValueError("a full store needs the pairs ordered by offer listing id")
        read(read_up_to, last_offer)
        read_up_to = last_offer
        _add_signatures(session, batch, signatures)
        _store_batch(session, batch, pending, signatures, encoder, report)
        # the engine has said everything about offers before the batch's last one
        for key in [key for key in pending if key[0] < last_offer]:
            row = pending.pop(key)
            if _is_stale(row):
                stale.append(row.id)
    read(read_up_to, None)  # offers after the last the engine suggests anything for
    stale.extend(row.id for row in pending.values() if _is_stale(row))
    return stale


def _store_batch(session: Session, found: PairBatch, existing: dict,
                 signatures: dict[int, str], encoder: RowEncoder, report: StoreReport) -> None:
    """Compare a batch's pairs with their stored rows (popped from `existing`) by ids, score,
    distance, version and signatures; only new and changed pairs get suggestion objects."""
    writes: list[tuple[int, Row | None, dict[str, object]]] = []  # (batch row, stored row, change)
    for i, key in enumerate(zip(found.offer_ids, found.need_ids, strict=True)):
        if key[0] not in signatures or key[1] not in signatures:
            continue  # the index knew a listing deleted behind its back; `match` rebuilds it
        offer_sig, need_sig = signatures[key[0]], signatures[key[1]]
        row = existing.pop(key, None)  # every found pair involves a scope listing
        if row is None:
            writes.append((i, None, {}))
            continue
        if row.origin == "manual":
            report.kept += 1
            continue
        change: dict[str, object] = {}
        status = row.status
        if status == REJECTED and (row.offer_signature, row.need_signature) != (
                offer_sig, need_sig):
            session.add(SuggestionEvent(suggestion_id=row.id, actor="matchmaker",
                                        action="reopened", from_status=REJECTED,
                                        to_status=UNTOUCHED,
                                        note="a listing changed materially"))
            status = UNTOUCHED
            change.update(status=UNTOUCHED, offer_answer=None, need_answer=None,
                          offer_answer_reason=None, need_answer_reason=None)
            report.reopened += 1
        if status == UNTOUCHED:
            if (row.offer_signature, row.need_signature) != (offer_sig, need_sig):
                change.update(offer_signature=offer_sig, need_signature=need_sig)
        else:
            report.kept += 1
        if change or (row.score, row.distance_km, row.settings_version) != (
                found.scores[i], found.distances[i], found.versions[i]):
            writes.append((i, row, change))
            report.updated += status == UNTOUCHED
        elif status == UNTOUCHED:
            report.unchanged += 1
    inserts: list[tuple] = []
    updates: list[dict] = []
    items = found.suggestions([i for i, _row, _change in writes])
    for (_i, row, change), item in zip(writes, items, strict=True):
        if row is None:
            inserts.append(encoder.new_row(item, signatures[item.offer_listing_id],
                                           signatures[item.need_listing_id]))
        else:
            updates.append({"id": row.id, **row_values(item), **change, "updated_at": encoder.now})
    encoder.insert(inserts)
    for chunk in chunks(updates):
        session.execute(update(Suggestion), chunk)
    report.created += len(inserts)


def _signatures(session: Session, listing_ids: set[int]) -> dict[int, str]:
    """Material signatures, computed from plain rows (no ORM objects for 100k listings)."""
    out: dict[int, str] = {}
    cols = (Listing.id, Listing.direction, Listing.kind, Listing.title, Listing.description,
            Listing.quantity, Listing.unit, Listing.frequency, Listing.unit_written)
    for chunk in chunks(sorted(listing_ids), 20_000):
        for row in session.connection().execute(select(*cols).where(col(Listing.id).in_(chunk))):
            out[row.id] = listing_signature(row)
    return out


def refresh_listings(session: Session, matcher: Matcher, listing_ids: Iterable[int]) -> StoreReport:
    """Recompute the pairs of listings changed in this transaction. Does not commit.
    With a matching worker (`matcher.defer` set) only the change feed is written, and the
    worker is woken once the transaction commits (``matchmaker.worker``)."""
    ids = set(listing_ids)
    session.flush()
    if matcher.defer is not None:
        record_changes(session, ids)
        matcher.defer(session)
        return StoreReport()
    record_changes(session, ids, matched=True)
    return rematch_listings(session, matcher, ids)


def rematch_listings(session: Session, matcher: Matcher, ids: set[int]) -> StoreReport:
    """Match these listings against the index and store their pairs. Does not commit."""
    index = matcher.sync(session, ids)
    found: dict[tuple[int, int], EngineSuggestion] = {}
    for listing_id in ids:
        for item in index.match_listing(listing_id):
            found[(item.offer_listing_id, item.need_listing_id)] = item
    return store_suggestions(session, [list(found.values())], ids)


@dataclass
class RecomputeReport(StoreReport):
    listings: int = 0
    suggestions: int = 0
    seconds: float = 0.0
    settings_version: str = ""
    embedded: int = 0  # listings whose sentence vector was computed first


def recompute_all(session: Session, matcher: Matcher, processes: int = 1,
                  progress: Progress | None = None) -> RecomputeReport:
    """Full recompute from scratch (CLI). Idempotent; acted-on statuses are left alone.
    Listings without a current sentence vector get one first (committed batch by batch)."""
    report = recompute(session, matcher, processes, progress, commit_embeddings=True)
    session.commit()
    return report


def recompute(session: Session, matcher: Matcher, processes: int = 1, progress: Progress | None = None,
              commit_embeddings: bool = False, rows_written: bool = False) -> RecomputeReport:
    """`recompute_all` inside the caller's transaction (a bulk import's): does not commit,
    unless `commit_embeddings` lets the embedding step keep its work batch by batch.
    `progress` hears ("embedding" / "matching", done, total) as it goes. The planner's
    statistics are refreshed when rows were written: by this recompute, or by the caller
    before it (`rows_written`); a recompute that finds nothing to change skips it (0.6 s at
    10,000 companies)."""
    started = time.perf_counter()
    embedded = fill_missing(session, matcher.embedder, progress, commit=commit_embeddings)
    index = matcher.rebuild(session, processes)
    counted = 0
    ids = index.store.listing_id[: index.store.size]
    first, last = (int(ids.min()), int(ids.max())) if len(ids) else (0, 0)

    def batches() -> Iterable[PairBatch]:
        nonlocal counted
        for batch in index.iter_pair_batches(by_offer=True):
            counted += len(batch)
            if progress is not None and len(batch):  # offers come in id order
                progress("matching", batch.offer_ids[-1] - first, last - first)
            yield batch

    # a registry's listings get several pairs each (6.5 at 10k): a table holding fewer rows
    # than there are listings is about to be filled, not merged with
    first_fill = sets_indexes_aside(session, "suggestion", incoming=len(index))
    with indexes_set_aside(session, "suggestion", first_fill):
        stored = store_suggestions(session, batches(), scope=None)
    if progress is not None:
        progress("matching", last - first, last - first)
    session.execute(delete(ListingChange).where(ListingChange.created_at < utcnow() - FEED_KEEP))
    if rows_written or embedded or stored.wrote():
        refresh_planner_statistics(session)
    return RecomputeReport(**vars(stored), listings=len(index), suggestions=counted,
                           seconds=time.perf_counter() - started,
                           settings_version=matcher.version, embedded=embedded)


MANUAL_REASON = {"nb": "satt sammen for hånd av koordinatoren",
                 "en": "paired by hand by the coordinator"}


def reason_text(reason: dict, language: str) -> str:
    """One stored reason ({"code", "params"}) as text in `language`."""
    code = str(reason.get("code", ""))
    if code == "manual":
        return MANUAL_REASON.get(language, MANUAL_REASON["nb"])
    return render_reason(Reason(code, dict(reason.get("params") or {})), language)
