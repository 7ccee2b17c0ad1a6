"""Fields and validators shared by several feature forms."""

import math

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, SelectChoice, ValidationError

from matchmaker.domain.orgnr import normalise_orgnr
from matchmaker.web_input import db_id


class FiniteDecimalField(DecimalField):
    """A number that the database can store as a float: no NaN, sNaN or infinity, and
    nothing that only becomes infinite as a float (1e309). A bad value is a field error."""

    def process_formdata(self, valuelist) -> None:  # noqa: ANN001
        super().process_formdata(valuelist)
        if self.data is not None and (not self.data.is_finite() or not math.isfinite(float(self.data))):
            self.data = None
            raise ValueError(_("Not a valid number."))


def coerce_db_id(value) -> int:  # noqa: ANN001
    """``coerce`` for id choices: a number beyond the database's ids is an invalid choice."""
    number = db_id(value)
    if number is None:
        raise ValueError(_("Not a valid choice."))
    return number


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
