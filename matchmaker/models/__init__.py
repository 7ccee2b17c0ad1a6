"""SQLModel tables. Import from here so that Alembic sees every table in one metadata."""

from matchmaker.models.company import Company
from matchmaker.models.listing import Listing
from matchmaker.models.user import User

__all__ = ["Company", "Listing", "User"]
