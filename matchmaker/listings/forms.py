from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from matchmaker import labels
from matchmaker.domain.rules import MAX_LENGTH
from matchmaker.domain.units import MAX_WRITTEN, is_plain, parse_written_unit
from matchmaker.forms import FiniteDecimalField, options, strip


class ListingForm(FlaskForm):
    direction = SelectField(_l("I …"), choices=options([("offer", _l("offer this")),
                                                 ("need", _l("need this"))]),
                            validators=[InputRequired()])
    kind = SelectField(_l("Kind"), choices=options(list(labels.KIND.items())), validators=[InputRequired()])
    title = StringField(_l("Title"), filters=[strip], validators=[
        InputRequired(), Length(min=3, max=MAX_LENGTH["title"])])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[
        Optional(), Length(max=MAX_LENGTH["listing_description"])])
    quantity = FiniteDecimalField(_l("Quantity"), validators=[
        Optional(), NumberRange(min=0, message=_l("Must not be negative."))])
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
        if self.quantity.data is not None and not self.unit.data:
            self.unit.errors.append(_l("Choose the unit of the quantity."))
            ok = False
        written = parse_written_unit(self.unit.data) if self.unit.data else None
        if self.unit.data and written is None and not self.unit.errors:
            self.unit.errors.append(_l("Unknown unit. Write it as e.g. t, t/yr, m3/month, lm3, "
                                       "kWh/yr or pcs."))
            ok = False
        if written and written.frequency and self.frequency.data \
                and self.frequency.data != written.frequency:
            self.frequency.errors.append(_l("The unit says %(frequency)s already.",
                                            frequency=labels.FREQUENCY[written.frequency]))
            ok = False
        if (self.available_from.data and self.available_until.data
                and self.available_until.data < self.available_from.data):
            self.available_until.errors.append(_l("Must not be before 'available from'."))
            ok = False
        return ok

    def listing_fields(self) -> dict[str, object]:
        fields = {name: self[name].data for name in (
            "direction", "kind", "title", "description", "unit", "frequency",
            "available_from", "available_until", "visibility", "active")}
        fields["quantity"] = float(self.quantity.data) if self.quantity.data is not None else None
        written = parse_written_unit(self.unit.data)
        fields["unit"] = written.unit if written else None
        fields["unit_written"] = None if written is None or is_plain(written) else written.written
        if written and written.frequency:
            fields["frequency"] = written.frequency
        return fields

    def show_unit(self, listing: object) -> None:
        """Fill the unit box with what the member wrote, or the unit in words, never a code."""
        unit = getattr(listing, "unit", None)
        self.unit.data = getattr(listing, "unit_written", None) or (
            str(labels.UNIT.get(unit, unit)) if unit else None)
