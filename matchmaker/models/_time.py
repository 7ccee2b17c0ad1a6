from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC timestamps; SQLModel's UTCDateTime stores them as UTC on every database."""
    return datetime.now(UTC)
