from sqlmodel import Field, SQLModel


class RateLimitCounter(SQLModel, table=True):
    """One fixed-window counter of the rate limiter (``matchmaker.ratelimit_storage``): kept in
    the database so that every web worker and process counts the same attempts."""

    key: str = Field(primary_key=True, max_length=255)
    count: int = 0
    expires_at: float = Field(index=True)  # seconds since the epoch
