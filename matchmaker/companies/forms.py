from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField, URLField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp

from matchmaker.domain.rules import MAX_LENGTH
from matchmaker.forms import FiniteDecimalField, strip, valid_orgnr


def _text(label, name, *validators, required=False):  # noqa: ANN001, ANN202
    first = InputRequired() if required else Optional()
    return StringField(label, filters=[strip],
                       validators=[first, Length(max=MAX_LENGTH[name]), *validators])


class ProfileForm(FlaskForm):
    name = _text(_l("Company name"), "name", required=True)
    org_number = StringField(_l("Organisation number"), filters=[strip],
                             validators=[Optional(), valid_orgnr])
    address = _text(_l("Street address"), "address")
    postcode = _text(_l("Postcode"), "postcode")
    city = _text(_l("Place"), "city")
    municipality = _text(_l("Municipality"), "municipality")
    country = StringField(_l("Country (ISO code)"), default="NO", filters=[strip], validators=[
        InputRequired(), Regexp(r"^[A-Za-z]{2}$", message=_l("Two letters, e.g. NO or SE."))])
    lat = FiniteDecimalField(_l("Latitude"), places=6, validators=[
        Optional(), NumberRange(min=-90, max=90)])
    lon = FiniteDecimalField(_l("Longitude"), places=6, validators=[
        Optional(), NumberRange(min=-180, max=180)])
    description = TextAreaField(_l("Short description"), filters=[strip], validators=[
        Optional(), Length(max=MAX_LENGTH["description"])])
    industry = _text(_l("Industry"), "industry")
    nace_code = _text(_l("NACE code"), "nace_code", Regexp(
        r"^\d{2}(\.\d{1,3})?$", message=_l("A NACE code looks like 16.100.")))
    website = URLField(_l("Website"), filters=[strip], validators=[
        Optional(), Length(max=MAX_LENGTH["website"]),
        Regexp(r"^https?://", message=_l("Start with http:// or https://."))])
    contact_person = _text(_l("Contact person"), "contact_person")
    email = EmailField(_l("Email"), filters=[strip], validators=[
        Optional(), Email(), Length(max=MAX_LENGTH["email"])])
    phone = _text(_l("Phone"), "phone", Regexp(r"^[0-9 +()-]*$", message=_l(
        "Digits, spaces and + ( ) - only.")))

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        ok = super().validate(extra_validators)
        if (self.lat.data is None) != (self.lon.data is None):
            (self.lon if self.lon.data is None else self.lat).errors.append(
                _l("Give both latitude and longitude, or neither."))
            ok = False
        return ok

    def profile_fields(self) -> dict[str, object]:
        return {name: self[name].data for name in (
            "name", "org_number", "address", "postcode", "city", "municipality", "country",
            "description", "industry", "nace_code", "website", "contact_person", "email", "phone",
        )}
