"""New suggestions as rows for the bulk writes of a recompute, and a pair's stored values."""

from __future__ import annotations

import orjson
from sqlmodel import Session

from matchmaker.db import chunks
from matchmaker.domain import workflow
from matchmaker.matching.records import Reason
from matchmaker.matching.records import Suggestion as EngineSuggestion
from matchmaker.models._time import utcnow
from matchmaker.services import notifications


def row_values(found: EngineSuggestion) -> dict[str, object]:
    """What an update writes of a pair the engine found again (the ORM's own JSON columns)."""
    return {
        "offer_company_id": found.offer_company_id, "need_company_id": found.need_company_id,
        "pair_type": found.pair_type, "score": found.score,
        "components": dict(found.components), "distance_km": found.distance_km,
        "reasons": [{"code": r.code, "params": dict(r.params)} for r in found.reasons],
        "settings_version": found.settings_version,
    }


_INSERT_COLUMNS = (
    "offer_listing_id", "need_listing_id", "offer_company_id", "need_company_id", "pair_type",
    "score", "components", "distance_km", "reasons", "settings_version", "origin", "status",
    "offer_signature", "need_signature", "outcome_note", "created_at", "updated_at",
)


#: reasons whose JSON a recompute keeps at a time (most recur in many pairs; the rest would
#: otherwise be held until the end: 180 MB of a 100k registry's recompute)
REASON_CACHE_MAX = 50_000


class RowEncoder:
    """New suggestions as plain parameter tuples for one executemany per chunk: a full
    recompute inserts hundreds of thousands, and per-row ORM or type processing would cost
    more than the matching itself. Equal reasons recur in many pairs, so each one's JSON is
    made once (the JSON column reads it back as `row_values` writes it)."""

    def __init__(self, session: Session) -> None:
        self.session, self.connection = session, session.connection()
        self.now = utcnow()
        self.stamp: object = self.now
        if self.connection.dialect.name == "sqlite":
            self.stamp = self.now.replace(tzinfo=None).isoformat(sep=" ")  # as SQLAlchemy stores it
        marker = "?" if self.connection.dialect.paramstyle == "qmark" else "%s"
        # column names are our constants; every value is a bound parameter (or COPY's data)
        self.sql = (f"INSERT INTO suggestion ({', '.join(_INSERT_COLUMNS)}) "  # noqa: S608
                    f"VALUES ({', '.join([marker] * len(_INSERT_COLUMNS))})")
        self.copy = (f"COPY suggestion ({', '.join(_INSERT_COLUMNS)}) FROM STDIN"
                     if self.connection.dialect.name == "postgresql" else "")
        self._reason_json: dict[Reason, str] = {}
        self._reason_by_object: dict[int, tuple[Reason, str]] = {}
        self.new = notifications.NewSuggestions()  # who hears of the new pairs

    def new_row(self, item: EngineSuggestion, offer_sig: str, need_sig: str) -> tuple:
        return (item.offer_listing_id, item.need_listing_id, item.offer_company_id,
                item.need_company_id, item.pair_type, item.score, orjson.dumps(item.components).decode(),
                item.distance_km, self._reasons(item.reasons), item.settings_version, "engine",
                workflow.Status.SUGGESTED.value, offer_sig, need_sig, "", self.stamp, self.stamp)

    def _reasons(self, reasons: tuple[Reason, ...]) -> str:
        parts = []
        by_object, by_value = self._reason_by_object, self._reason_json
        if len(by_value) > REASON_CACHE_MAX:  # (they keep their reasons alive: millions at 100k)
            by_object.clear()
            by_value.clear()
        for r in reasons:
            # the engine shares one object between many pairs: found by identity, it is not
            # hashed (a reason's hash sorts its parameters); equal reasons of other objects
            # are found by value
            hit = by_object.get(id(r))
            if hit is None or hit[0] is not r:  # (an id can be reused once its object is gone)
                encoded = by_value.get(r)
                if encoded is None:
                    encoded = by_value[r] = orjson.dumps({"code": r.code, "params": r.params}).decode()
                hit = by_object[id(r)] = (r, encoded)
            parts.append(hit[1])
        return "[" + ",".join(parts) + "]"

    def insert(self, rows: list[tuple]) -> None:
        """One executemany per page; on PostgreSQL one COPY (psycopg's), several times faster."""
        for chunk in chunks(rows):
            if self.copy:
                with self.connection.connection.dbapi_connection.cursor() as cursor, \
                        cursor.copy(self.copy) as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                self.connection.exec_driver_sql(self.sql, chunk)
            self.new.add(self.session, chunk)
