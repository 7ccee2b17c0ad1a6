from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField, URLField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp

from matchmaker.domain.rules import MAX_LENGTH, PATTERN, RANGE, half_coordinates
from matchmaker.forms import FiniteDecimalField, strip, valid_orgnr
from matchmaker.labels import RULE_MESSAGE


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
        InputRequired(), Regexp(PATTERN["country"], message=RULE_MESSAGE["country"])])
    lat = FiniteDecimalField(_l("Latitude"), places=6, validators=[
        Optional(), NumberRange(*RANGE["lat"])])
    lon = FiniteDecimalField(_l("Longitude"), places=6, validators=[
        Optional(), NumberRange(*RANGE["lon"])])
    description = TextAreaField(_l("Short description"), filters=[strip], validators=[
        Optional(), Length(max=MAX_LENGTH["description"])])
    industry = _text(_l("Industry"), "industry")
    nace_code = _text(_l("NACE code"), "nace_code", Regexp(
        PATTERN["nace_code"], message=RULE_MESSAGE["nace_code"]))
    website = URLField(_l("Website"), filters=[strip], validators=[
        Optional(), Length(max=MAX_LENGTH["website"]),
        Regexp(PATTERN["website"], message=RULE_MESSAGE["website"])])
    contact_person = _text(_l("Contact person"), "contact_person")
    email = EmailField(_l("Email"), filters=[strip], validators=[
        Optional(), Email(), Length(max=MAX_LENGTH["email"])])
    phone = _text(_l("Phone"), "phone", Regexp(PATTERN["phone"], message=RULE_MESSAGE["phone"]))

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        ok = super().validate(extra_validators)
        missing = half_coordinates(self.lat.data, self.lon.data)
        if missing:
            self[missing].errors.append(RULE_MESSAGE["coordinates"])
            ok = False
        return ok

    def profile_fields(self) -> dict[str, object]:
        return {name: self[name].data for name in (
            "name", "org_number", "address", "postcode", "city", "municipality", "country",
            "description", "industry", "nace_code", "website", "contact_person", "email", "phone",
        )}
