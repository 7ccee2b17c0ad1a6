"""The process-wide matching index: built lazily, replayed forward from the change feed.

Each process that matches keeps one ``MatchIndex`` (building it reads every active listing
once, with the sentence vectors stored for them). Every change to a listing appends a
``ListingChange`` row in the same transaction; before matching, a process replays the rows it
has not seen, so several processes stay consistent without sharing memory. A web process
whose matching a `matchmaker worker` does (``defer`` set) never builds one.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Row
from sqlmodel import Session, col, func, select

from matchmaker.domain.units import canonical_quantity
from matchmaker.domain.vocab import Membership
from matchmaker.embedding import Embedder, load_embedder
from matchmaker.matching.engine import MatchIndex
from matchmaker.matching.features import Analyser
from matchmaker.matching.records import ListingRecord
from matchmaker.matching.search import search_listings
from matchmaker.matching.settings import MatchSettings
from matchmaker.matching.thesaurus import Thesaurus
from matchmaker.models import Company, Listing, ListingChange
from matchmaker.services.embeddings import ensure_embeddings, stored_vectors

RECORD_PAGE = 10_000  # listing rows read at a time while an index is built
FEED_LOOK_BACK = 1000  # feed ids re-read on each catch-up (transactions committing out of order)
REPLAY_LIMIT = 12 * 3600.0  # a process idle for longer than `matchmaker match` keeps the feed rebuilds


def listing_record(listing: Listing | Row, company: Company | Row,
                   vector: bytes | None = None) -> ListingRecord:
    # the few distinct words of direction, kind, unit and frequency as one string each: a
    # database row brings its own copies, which an index of 500,000 listings keeps (100 MB)
    return ListingRecord(
        listing_id=listing.id, company_id=listing.company_id, direction=sys.intern(listing.direction),
        kind=sys.intern(listing.kind), title=listing.title, description=listing.description,
        quantity=canonical_quantity(listing.quantity, listing.unit_written),
        unit=_interned(listing.unit), frequency=_interned(listing.frequency),
        lat=company.lat, lon=company.lon, active=listing.active, vector=vector,
    )


def _interned(word: str | None) -> str | None:
    return None if word is None else sys.intern(word)


#: what `listing_record` reads, as one row per listing
_RECORD_COLUMNS = (Listing.id, Listing.company_id, Listing.direction, Listing.kind, Listing.title,
                   Listing.description, Listing.quantity, Listing.unit_written, Listing.unit,
                   Listing.frequency, Listing.active, Company.lat, Company.lon)


def bulk_is_faster(changed: int, registry: int) -> bool:
    """Whether `changed` listings of a registry of `registry` are matched faster all over
    again (a fresh index, a full recompute) than one by one. Re-matching one listing (index
    update, its pairs, upserts) costs about what a full recompute spends on 25 listings
    (bench/bench_service.py: ~10 ms against ~0.4 ms a listing), plus about a second to start."""
    return changed >= 100 + registry // 25


def _matchable(listing: Listing, company: Company) -> bool:
    """Only members' active listings are matched: a company waiting for approval has no pairs."""
    return listing.active and company.approved


class Matcher:
    """The process-wide matching index, built lazily and replayed forward from the change feed."""

    def __init__(self, settings: MatchSettings, thesaurus: Callable[[], Thesaurus],
                 embedder: Callable[[], Embedder | None] = lambda: None, freeze: bool = True):
        self.settings = settings
        self._freeze = freeze  # keep a built index out of the garbage collector's walks
        self._thesaurus = thesaurus
        self._embedder = embedder
        self._index: MatchIndex | None = None
        self._seen_change = 0
        self._applied: set[int] = set()  # feed ids applied within the look-back window
        self._caught_up_at = 0.0  # time.monotonic() of the last build or replay
        self._replayed: set[int] | None = set()  # listings the last catch-up applied (None: rebuilt)
        self._prepared = False  # scored once for incremental matching (`prepare_incremental`)
        self._lock = threading.Lock()
        # set in a web process whose listings a `matchmaker worker` re-matches: called with
        # the session that recorded a change (``matchmaker.worker.wake``)
        self.defer: Callable[[Session], None] | None = None
        self._analyser: Analyser | None = None  # the index-free search's, built on first use

    @property
    def version(self) -> str:
        return self.settings.version_label(self.thesaurus.fingerprint())

    @property
    def thesaurus(self) -> Thesaurus:
        return self._thesaurus()

    @property
    def embedder(self) -> Embedder | None:
        """The sentence-embedding model (loaded on first use), or None without one."""
        return self._embedder()

    @contextmanager
    def embedding_through(self, wrap: Callable[[Embedder], Embedder]) -> Iterator[None]:
        """Embed through `wrap(model)` for a while (the demo seed's shipped vectors)."""
        inner, wrapped = self._embedder, []

        def embedder() -> Embedder | None:
            if not wrapped:
                model = inner()
                wrapped.append(None if model is None else wrap(model))
            return wrapped[0]

        self._embedder = embedder
        try:
            yield
        finally:
            self._embedder = inner

    def _vectors(self, session: Session, listing_ids: Iterable[int] | None = None) -> dict[int, bytes]:
        embedder = self.embedder
        return {} if embedder is None else stored_vectors(session, embedder.name, listing_ids)

    def current(self, session: Session, prepare: bool = True) -> MatchIndex:
        """The index, caught up; `prepare`: also scored once for incremental matching, which
        a reader (search) does not need: at 10k companies that scoring is most of the build."""
        with self._lock:
            if (self._index is None or time.monotonic() - self._caught_up_at > REPLAY_LIMIT
                    or not self._catch_up(session)):
                self._build(session)
            if prepare and not self._prepared:
                # Score everything once so that each later edit re-matches in milliseconds
                # (the listings applied since the build are scored with the rest).
                self._index.prepare_incremental()
                self._prepared = True
            return self._index

    def search(self, session: Session, text: str) -> set[int]:
        """Ids of active listings whose text or concepts answer a free-text query. A web
        process whose matching a worker does builds no index for it (``listing_search``)."""
        if self.defer is not None and self._index is None:
            from matchmaker.services.listing_search import search_listing_ids

            return search_listing_ids(session, self.search_analyser(), text)
        index = self.current(session, prepare=False)
        return search_listings(index.analyser, index.store, text)

    def search_analyser(self) -> Analyser:
        """The thesaurus's analyser for a process without an index (0.4-0.7 s to make: a
        server makes it as it starts, not in some member's first search)."""
        with self._lock:
            if self._analyser is None:
                self._analyser = Analyser(self.thesaurus, self.settings)
            return self._analyser

    def rebuild(self, session: Session, processes: int = 1) -> MatchIndex:
        """A fresh index; the caller's full `match_all`/`iter_batches` prepares it too.
        `processes` > 1 forks workers for the analysis and the scoring (a batch job, not a
        web worker)."""
        with self._lock:
            self._build(session, processes)
            self._prepared = True  # by the caller's full match, which scores everything
            return self._index

    def forget(self) -> None:
        """Drop the index: after a rolled-back transaction it may hold listings that never were."""
        with self._lock:
            self._index = None

    def _build(self, session: Session, processes: int = 1) -> None:
        if self._freeze:
            gc.unfreeze()  # what the old index leaves behind may be collected again
        self._index = None  # the old index goes before the new one is built (1 GB at 100k)
        self._replayed = None  # a fresh index holds every listing as it is now
        self._prepared = False
        # Read the feed position first: changes made while we load are replayed next time.
        self._seen_change = session.exec(select(func.coalesce(func.max(ListingChange.id), 0))).one()
        self._applied = set(session.exec(select(ListingChange.id).where(
            ListingChange.id > self._seen_change - FEED_LOOK_BACK)))
        vectors = self._vectors(session)
        # plain rows, not ORM objects: 500,000 of those cost seconds to build and then to drop;
        # read page by page (a server-side cursor on PostgreSQL): all at once, psycopg held the
        # whole result in C memory, and the build's peak at 100k companies was 250 MB higher
        rows = session.exec(select(*_RECORD_COLUMNS).join(Company).where(
            col(Listing.active), Company.membership == Membership.APPROVED.value)
            .execution_options(yield_per=RECORD_PAGE))
        self._index = MatchIndex.build((listing_record(row, row, vectors.get(row.id)) for row in rows),
                                       self.settings, self._thesaurus(), processes=processes)
        # The index's millions of objects live as long as the process: out of the collector's
        # way, or every full collection walks them all (tens of ms in any request, at 10k).
        # (Not in tests: freezing keeps whatever garbage exists then for good.)
        if self._freeze:
            gc.freeze()
        self._caught_up_at = time.monotonic()

    def _catch_up(self, session: Session) -> bool:
        """Replay the feed; False (nothing applied) when so many listings changed, a bulk
        import's, that building afresh costs less."""
        # Ids are handed out before commit, so a transaction that commits late can land below
        # the newest id already seen: look back a window and skip what was applied already.
        changed = [(change_id, listing_id) for change_id, listing_id in session.exec(
            select(ListingChange.id, ListingChange.listing_id)
            .where(ListingChange.id > self._seen_change - FEED_LOOK_BACK)
            .order_by(ListingChange.id)) if change_id not in self._applied]
        listing_ids = {listing_id for _, listing_id in changed}
        if bulk_is_faster(len(listing_ids), len(self._index)):
            return False
        self._caught_up_at = time.monotonic()
        self._replayed = listing_ids
        if not changed:
            return True
        self._seen_change = max(self._seen_change, changed[-1][0])
        self._applied = {i for i in self._applied if i > self._seen_change - FEED_LOOK_BACK}
        self._applied.update(change_id for change_id, _ in changed)
        self._apply(session, listing_ids)
        return True

    def _apply(self, session: Session, listing_ids: set[int]) -> None:
        found = {lst.id: (lst, comp) for lst, comp in session.exec(
            select(Listing, Company).join(Company).where(col(Listing.id).in_(listing_ids)))}
        vectors = self._vectors(session, listing_ids)
        for listing_id in listing_ids:
            if listing_id in found and _matchable(*found[listing_id]):
                self._index.upsert(listing_record(*found[listing_id], vectors.get(listing_id)))
            else:
                self._index.remove(listing_id)

    def sync(self, session: Session, listing_ids: Iterable[int]) -> MatchIndex:
        """The index with these listings (changed in the current transaction) applied; their
        sentence vectors are computed first when their text is new. Their change-feed rows
        are in the transaction already, so catching up applies them; only what that did not
        cover is applied again (once per edit, not twice)."""
        ids = set(listing_ids)
        embedder = self.embedder
        if embedder is not None:
            changed = session.exec(select(Listing).where(col(Listing.id).in_(ids), col(Listing.active)))
            ensure_embeddings(session, embedder, list(changed))
            session.flush()
        index = self.current(session)
        with self._lock:
            if self._replayed is not None:  # caught up (a rebuild holds everything already)
                rest = ids - self._replayed
                if rest:
                    self._apply(session, rest)
        return index


def default_matcher(settings: MatchSettings | None = None, extra_thesaurus: str = "",
                    semantic: bool = True, freeze: bool = True) -> Matcher:
    cache: list[Thesaurus] = []
    model: list[Embedder | None] = []

    def thesaurus() -> Thesaurus:
        if not cache:
            cache.append(Thesaurus.load(extra=extra_thesaurus or None))
        return cache[0]

    def embedder() -> Embedder | None:
        if not model:  # loaded on first use: a process that never matches never loads it
            model.append(load_embedder() if semantic else None)
        return model[0]

    return Matcher(settings or MatchSettings(), thesaurus, embedder, freeze)
