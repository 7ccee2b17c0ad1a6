"""Fields and validators shared by several feature forms."""

import math
from collections.abc import Callable, Iterable
from typing import Any

import wtforms
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import DecimalField, SelectChoice, ValidationError
from wtforms.widgets import Select

from matchmaker.domain import passwords
from matchmaker.domain.numbers import normalise_number
from matchmaker.domain.orgnr import normalise_orgnr
from matchmaker.domain.passwords import Weakness
from matchmaker.web_input import db_id


class QuickSelect(Select):
    """WTForms' select, each plain option written in one f-string: the stock one sorts and
    escapes an attribute dictionary per option, about 40 µs, and the review queue's company
    filter alone has up to 300 options."""

    @classmethod
    def render_option(cls, choice: SelectChoice, **kwargs: Any) -> Markup:
        if choice.render_kw or kwargs:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = " selected" if choice.selected else ""
        label = escape(choice.label or choice.value)
        return Markup(f'<option value="{escape(value)}"{selected}>{label}</option>')  # noqa: S704 (escaped)


class SelectField(wtforms.SelectField):
    widget = QuickSelect()


class SelectMultipleField(wtforms.SelectMultipleField):
    widget = QuickSelect(multiple=True)


class FiniteDecimalField(DecimalField):
    """A number that the database can store as a float: no NaN, sNaN or infinity, and
    nothing that only becomes infinite as a float (1e309). A bad value is a field error.
    Typed as people do ("12,5", "40 000"); shown with the reader's decimal sign."""

    def process_formdata(self, valuelist) -> None:  # noqa: ANN001
        if valuelist and isinstance(valuelist[0], str):
            english = str(get_locale() or "nb") == "en"
            valuelist = [normalise_number(valuelist[0], comma_groups=english), *valuelist[1:]]
        super().process_formdata(valuelist)
        if self.data is not None and (not self.data.is_finite() or not math.isfinite(float(self.data))):
            self.data = None
            raise ValueError(_("Not a valid number."))

    def _value(self) -> str:
        if self.raw_data or self.data is None:
            return super()._value()
        # no grouping: the value goes back into a text box, plainly
        return format_decimal(self.data, format="0.######")


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


def password_message(weakness: Weakness) -> str:
    """The reader's-language reason a password is refused (the rule: domain.passwords)."""
    messages = {
        Weakness.TOO_SHORT: _l("Use at least %(num)d characters.", num=passwords.MIN_LENGTH),
        Weakness.TOO_LONG: _l("Use at most %(num)d characters.", num=passwords.MAX_LENGTH),
        Weakness.COMMON: _l("This is one of the most common passwords. Choose another one, for "
                            "example a few unrelated words."),
        Weakness.GUESSABLE: _l("This password is too easy to guess (a common word, a pattern, "
                               "or your own name or address). Choose a longer one, for example "
                               "a few unrelated words."),
    }
    return str(messages[weakness])


class StrongPassword:
    """Refuses a password the password rule refuses; `inputs(form)` gives the account's own
    details (email, name, company), which the password must not be made of."""

    def __init__(self, inputs: Callable[[Any], Iterable[str | None]] = lambda _form: ()):
        self.inputs = inputs

    def __call__(self, form, field) -> None:  # noqa: ANN001
        weakness = passwords.weakness(field.data or "", self.inputs(form))
        if weakness is not None:
            raise ValidationError(password_message(weakness))
