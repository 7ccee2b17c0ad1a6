from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from matchmaker.models._time import utcnow


class Suggestion(SQLModel, table=True):
    """A suggested (or hand-made) pair: `offer` supplies, `need` receives.

    For a supplier→processor pair the `need` side is the processor's capability listing.
    Company ids are copied here so that the review queue filters without joins and so that
    privacy checks ("is this viewer one of the two sides?") are one comparison.
    """

    __table_args__ = (UniqueConstraint("offer_listing_id", "need_listing_id"),)

    id: int | None = Field(default=None, primary_key=True)
    # (indexed first in the unique constraint above)
    offer_listing_id: int = Field(foreign_key="listing.id", ondelete="CASCADE")
    need_listing_id: int = Field(foreign_key="listing.id", index=True, ondelete="CASCADE")
    offer_company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    need_company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    pair_type: str = Field(max_length=20)
    score: float = Field(index=True)
    components: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    distance_km: float | None = None
    reasons: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    settings_version: str = Field(max_length=60)
    origin: str = Field(default="engine", max_length=10)  # engine | manual
    status: str = Field(default="suggested", max_length=20, index=True)
    # Each side's answer: interested | not_relevant, with an optional reason code.
    offer_answer: str | None = Field(default=None, max_length=20)
    offer_answer_reason: str | None = Field(default=None, max_length=30)
    need_answer: str | None = Field(default=None, max_length=20)
    need_answer_reason: str | None = Field(default=None, max_length=30)
    # What the listings looked like when a person last decided; a material change reopens it.
    offer_signature: str = Field(default="", max_length=64)
    need_signature: str = Field(default="", max_length=64)
    outcome_volume: float | None = None
    outcome_unit: str | None = Field(default=None, max_length=10)
    outcome_note: str = Field(default="", max_length=2000)
    introduced_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SuggestionEvent(SQLModel, table=True):
    """Audit log: who moved which suggestion from what to what, when, and why.

    Actor and pair are also stored as text, so the history outlives deleted users or listings.
    """

    id: int | None = Field(default=None, primary_key=True)
    suggestion_id: int | None = Field(default=None, foreign_key="suggestion.id", index=True,
                                      ondelete="SET NULL")
    actor_user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    actor: str = Field(default="", max_length=254)
    action: str = Field(max_length=30)  # transition | answer | note | reopened | created
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str | None = Field(default=None, max_length=20)
    note: str = Field(default="", max_length=2000)
    pair: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class ListingChange(SQLModel, table=True):
    """Append-only feed of listings whose matches must be recomputed.

    Each process that matches keeps its own matching index and replays this feed to stay
    current, so several processes agree without sharing memory. `matched_at` is set once
    the listing was re-matched: in the same transaction when matching runs inline, or by the
    one `matchmaker worker` that claimed the row (``matchmaker.worker.feed``).
    """

    __table_args__ = (Index("ix_listingchange_pending", "id", postgresql_where=text("matched_at IS NULL"),
                            sqlite_where=text("matched_at IS NULL")),)

    id: int | None = Field(default=None, primary_key=True)
    listing_id: int = Field(index=True)
    created_at: datetime = Field(default_factory=utcnow)
    matched_at: datetime | None = Field(default=None)


class OutboxMail(SQLModel, table=True):
    """Mail to send. Saved with the decision that caused it; sent (and retried) afterwards."""

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=200, unique=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str
    status: str = Field(default="pending", max_length=10, index=True)  # pending | sent
    attempts: int = 0
    last_error: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
