from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from matchmaker.domain.rules import MAX_LENGTH
from matchmaker.forms import SelectField, StrongPassword, options, strip, valid_orgnr
from matchmaker.services import api_tokens


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
    password = PasswordField(_l("Password"), validators=[InputRequired(), StrongPassword(
        lambda form: [form.email.data, form.name.data, form.company_name.data])])
    password2 = PasswordField(_l("Repeat password"), validators=[
        InputRequired(), EqualTo("password", message=_l("The passwords do not match."))])
    # preselected: the language the visitor is reading, so the account keeps it after sign-up
    language = SelectField(_l("Language"), choices=options([("nb", "Norsk"), ("en", "English")]),
                           default=lambda: str(get_locale() or "nb"))


class _NewPasswordForm(FlaskForm):
    """A new password, twice; `user_inputs` are the account's own details (see StrongPassword)."""

    password = PasswordField(_l("New password"), validators=[
        InputRequired(), StrongPassword(lambda form: form.user_inputs)])
    password2 = PasswordField(_l("Repeat the new password"), validators=[
        InputRequired(), EqualTo("password", message=_l("The passwords do not match."))])

    def __init__(self, *args, user_inputs: list[str] | None = None, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.user_inputs = user_inputs or []


class ChangePasswordForm(_NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])


class ResetPasswordForm(_NewPasswordForm):
    pass


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[strip], validators=[
        InputRequired(), Email(), Length(max=MAX_LENGTH["email"])])


class ApiTokenForm(FlaskForm):
    name = StringField(_l("Name (what the token is for)"), filters=[strip],
                       validators=[InputRequired(), Length(max=100)])
    expires_in_days = SelectField(
        _l("Expires"), coerce=int, default=api_tokens.DEFAULT_EXPIRY_DAYS, choices=options([
            (30, _l("in 30 days")), (90, _l("in 90 days")), (365, _l("in a year")), (0, _l("never"))]))


class RevokeTokenForm(FlaskForm):
    """Only the CSRF token: the token to revoke is in the URL."""
