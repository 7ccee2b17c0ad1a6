"""SQLModel tables. Import from here so that Alembic sees every table in one metadata."""

from matchmaker.models.api_token import ApiToken
from matchmaker.models.company import Company
from matchmaker.models.embedding import ListingEmbedding
from matchmaker.models.listing import Listing
from matchmaker.models.notification import Notification
from matchmaker.models.project import ClusterProject
from matchmaker.models.ratelimit import RateLimitCounter
from matchmaker.models.search import ListingSearch
from matchmaker.models.suggestion import ListingChange, OutboxMail, Suggestion, SuggestionEvent
from matchmaker.models.user import User

__all__ = [
    "ApiToken", "ClusterProject", "Company", "Listing", "ListingChange", "ListingEmbedding", "ListingSearch",
    "Notification",
    "OutboxMail", "RateLimitCounter", "Suggestion", "SuggestionEvent", "User",
]
