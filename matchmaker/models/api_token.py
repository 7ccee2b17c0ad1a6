from datetime import datetime

from sqlmodel import Field, SQLModel

from matchmaker.models._time import utcnow


class ApiToken(SQLModel, table=True):
    """A personal API token. Only the SHA-256 of the secret is stored: the secret is shown once,
    and a copy of the table gives no one a way in."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    hint: str = Field(max_length=16)  # the secret's first characters, to tell tokens apart
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
