"""Domain errors; the web layer maps them to HTTP statuses, the CLI to exit codes."""


class DomainError(Exception):
    """Base class for errors a user can cause and should be told about."""


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it exists."""


class Forbidden(DomainError):
    """The caller may see the thing but not change it."""


class Conflict(DomainError):
    """The change clashes with existing data (a duplicate, an illegal transition)."""


class InvalidData(DomainError):
    """Input that breaks a domain rule; `problems` lists each one for the user."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class Unreadable(InvalidData):
    """Input that cannot be read at all (not UTF-8, not JSON), so none of its rules were checked."""
