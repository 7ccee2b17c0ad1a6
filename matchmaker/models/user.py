import secrets
from datetime import datetime

from sqlmodel import Field, SQLModel

from matchmaker.domain.vocab import Role
from matchmaker.models._time import utcnow


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.MEMBER.value, max_length=20)
    company_id: int | None = Field(
        default=None, foreign_key="company.id", index=True, ondelete="CASCADE"
    )
    name: str = Field(default="", max_length=200)
    language: str = Field(default="nb", max_length=5)
    active: bool = True
    # Part of the login cookie; rotating it on logout ends every copy of the session.
    session_token: str = Field(default_factory=new_session_token, max_length=64)
    digest_enabled: bool = True
    last_digest_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None

    # Flask-Login protocol, kept here so the table is the user object.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_coordinator(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN
