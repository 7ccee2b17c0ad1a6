from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from matchmaker.models._time import utcnow


class ClusterProject(SQLModel, table=True):
    """A value chain the coordinator decided to pursue: its links (suggestion ids), a note and
    a status. The ids are kept as a list, not foreign keys: a project outlives a recompute that
    drops one of its pairs, and then says that the link is gone."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    note: str = Field(default="", max_length=4000)
    status: str = Field(default="idea", max_length=20, index=True)  # idea | active | done | dropped
    suggestion_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
