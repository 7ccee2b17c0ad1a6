"""Validators shared by several feature forms."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, ValidationError

from matchmaker.domain.orgnr import normalise_orgnr


def valid_orgnr(_form, field) -> None:  # noqa: ANN001
    try:
        field.data = normalise_orgnr(field.data)
    except ValueError:
        raise ValidationError(
            _l("Not a valid Norwegian organisation number (9 digits with a mod-11 check digit).")
        ) from None


def strip(value):  # noqa: ANN001, ANN201
    return value.strip() if isinstance(value, str) else value


def options(pairs) -> list[SelectChoice]:  # noqa: ANN001
    """(value, label) pairs as WTForms' SelectChoice (plain tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]
