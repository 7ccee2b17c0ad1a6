from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import Email, InputRequired, Length

from matchmaker.directory.forms import CompanyFilterForm
from matchmaker.forms import SelectField, StrongPassword, options


class StaffUserForm(FlaskForm):
    """Admins create coordinators and other admins; nobody can sign up as one."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Initial password"), validators=[InputRequired(), StrongPassword(
        lambda form: [form.email.data, form.name.data])])
    role = SelectField(_l("Role"), choices=options([("coordinator", _l("Coordinator")),
                                            ("admin", _l("Administrator"))]))


class OverviewFilterForm(CompanyFilterForm):
    """The directory's filters, and the coordinator's own: who still lacks a location."""

    missing = BooleanField(_l("Only companies without a location"))
