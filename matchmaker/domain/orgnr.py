"""Norwegian organisation numbers (9 digits, mod-11 check digit)."""

from stdnum.exceptions import ValidationError
from stdnum.no import orgnr


def normalise_orgnr(value: str | None) -> str | None:
    """Return the compact 9-digit number, None for blank, or raise ValueError with a reason."""
    if value is None or not value.strip():
        return None
    try:
        return orgnr.validate(value)
    except ValidationError as exc:
        raise ValueError(f"invalid organisation number: {exc}") from None
