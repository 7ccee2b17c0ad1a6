from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from matchmaker.domain.rules import MAX_LENGTH
from matchmaker.forms import options, strip, valid_orgnr
from matchmaker.services.accounts import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email()], filters=[strip])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    remember = BooleanField(_l("Remember me"))


class RegisterForm(FlaskForm):
    company_name = StringField(_l("Company name"), filters=[strip], validators=[
        InputRequired(), Length(max=MAX_LENGTH["name"])])
    org_number = StringField(_l("Organisation number"), filters=[strip],
                             validators=[Optional(), valid_orgnr])
    postcode = StringField(_l("Postcode"), filters=[strip],
                           validators=[Optional(), Length(max=MAX_LENGTH["postcode"])])
    city = StringField(_l("Place"), filters=[strip],
                       validators=[Optional(), Length(max=MAX_LENGTH["city"])])
    name = StringField(_l("Your name"), filters=[strip],
                       validators=[InputRequired(), Length(max=MAX_LENGTH["contact_person"])])
    email = EmailField(_l("Email"), filters=[strip], validators=[
        InputRequired(), Email(), Length(max=MAX_LENGTH["email"])])
    password = PasswordField(_l("Password"), validators=[
        InputRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    password2 = PasswordField(_l("Repeat password"), validators=[
        InputRequired(), EqualTo("password", message=_l("The passwords do not match."))])
    language = SelectField(_l("Language"), choices=options([("nb", "Norsk"), ("en", "English")]),
                           default="nb")
