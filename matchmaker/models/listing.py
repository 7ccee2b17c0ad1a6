from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from matchmaker.models._time import utcnow


class Listing(SQLModel, table=True):
    """An offer or a need of one company. Visibility 'coordinator' marks it confidential."""

    __table_args__ = (UniqueConstraint("company_id", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    external_id: str | None = Field(default=None, max_length=100)
    direction: str = Field(max_length=10, index=True)
    kind: str = Field(max_length=20)
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=4000)
    quantity: float | None = None
    unit: str | None = Field(default=None, max_length=10)  # canonical, what the engine compares
    # the unit as the member wrote it ("lm3", "tonn/år"), shown instead of `unit`; None when
    # it said no more than `unit` (domain.units)
    unit_written: str | None = Field(default=None, max_length=30)
    frequency: str | None = Field(default=None, max_length=20)
    available_from: date | None = None
    available_until: date | None = None
    active: bool = Field(default=True, index=True)
    visibility: str = Field(default="public", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
