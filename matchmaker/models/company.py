from datetime import datetime

from sqlmodel import Field, SQLModel

from matchmaker.domain.vocab import Membership
from matchmaker.models._time import utcnow


class Company(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    external_id: str | None = Field(default=None, max_length=100, unique=True)
    name: str = Field(max_length=200, index=True)
    org_number: str | None = Field(default=None, max_length=9, unique=True)
    address: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=100)
    municipality: str = Field(default="", max_length=100, index=True)
    country: str = Field(default="NO", max_length=2)
    lat: float | None = None
    lon: float | None = None
    location_source: str | None = Field(default=None, max_length=20)
    description: str = Field(default="", max_length=2000)
    industry: str = Field(default="", max_length=100)
    nace_code: str = Field(default="", max_length=10)
    website: str = Field(default="", max_length=200)
    contact_person: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    # Only self-registration starts "pending"; the coordinator, the demo and imports add members.
    membership: str = Field(default=Membership.APPROVED.value, max_length=10, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def approved(self) -> bool:
        return self.membership == Membership.APPROVED
