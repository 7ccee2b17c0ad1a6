from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from matchmaker.models._time import utcnow


class Notification(SQLModel, table=True):
    """Something for one user to look at: what happened (`kind` + `params`, rendered in the
    reader's language) and what it is about (`subject_id`: a suggestion or a company)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=30)
    subject_id: int | None = None
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    read_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow, index=True)
