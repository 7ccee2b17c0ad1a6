from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from matchmaker import labels
from matchmaker.domain import listing_rules
from matchmaker.domain.rules import MAX_LENGTH, MIN_LENGTH, RANGE
from matchmaker.domain.units import MAX_WRITTEN
from matchmaker.forms import FiniteDecimalField, SelectField, options, strip


class ListingForm(FlaskForm):
    direction = SelectField(_l("I …"), choices=options([("offer", _l("offer this")),
                                                 ("need", _l("need this"))]),
                            validators=[InputRequired()])
    kind = SelectField(_l("Kind"), choices=options(list(labels.KIND.items())), validators=[InputRequired()])
    title = StringField(_l("Title"), filters=[strip], validators=[
        InputRequired(), Length(min=MIN_LENGTH["title"], max=MAX_LENGTH["title"])])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[
        Optional(), Length(max=MAX_LENGTH["listing_description"])])
    quantity = FiniteDecimalField(_l("Quantity"), validators=[
        Optional(), NumberRange(min=RANGE["quantity"][0], message=_l("Must not be negative."))])
    # written as people write it ("t/år", "lm3"); domain.units reads it
    unit = StringField(_l("Unit"), filters=[strip], validators=[Optional(), Length(max=MAX_WRITTEN)])
    frequency = SelectField(_l("Frequency"), choices=options([("", "–"), *labels.FREQUENCY.items()]),
                            validators=[Optional()])
    available_from = DateField(_l("Available from"), validators=[Optional()])
    available_until = DateField(_l("Available until"), validators=[Optional()])
    visibility = SelectField(_l("Visibility"), choices=options(list(labels.VISIBILITY.items())),
                             default="public")
    active = BooleanField(_l("Active"), default=True)

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        ok = super().validate(extra_validators)
        for found in listing_rules.problems(self.quantity.data, self.unit.data, self.frequency.data,
                                            self.available_from.data, self.available_until.data):
            field = self[found.field]
            if not field.errors:  # one message a field: its own first ("too long" over "unknown")
                field.errors.append(labels.listing_problem(found))
                ok = False
        return ok

    def listing_fields(self) -> dict[str, object]:
        fields = {name: self[name].data for name in (
            "direction", "kind", "title", "description", "available_from", "available_until",
            "visibility", "active")}
        fields["quantity"] = float(self.quantity.data) if self.quantity.data is not None else None
        return {**fields, **listing_rules.unit_fields(self.unit.data, self.frequency.data)}

    def show_unit(self, listing: object) -> None:
        """Fill the unit box with what the member wrote, or the unit in words, never a code."""
        unit = getattr(listing, "unit", None)
        self.unit.data = getattr(listing, "unit_written", None) or (
            str(labels.UNIT.get(unit, unit)) if unit else None)
