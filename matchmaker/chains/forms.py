"""The chains pages' forms: GET filters, saving a chain as a project, a project's status."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp

from matchmaker.forms import SelectField, options, strip
from matchmaker.services.chains import FILTER_MAX
from matchmaker.services.projects import CHAIN_KEY_MAX, NOTE_MAX, STATUSES, TITLE_MAX

PROJECT_STATUS = {"idea": _l("Idea"), "active": _l("Active"), "done": _l("Done"),
                  "dropped": _l("Dropped")}


class ChainFilterForm(FlaskForm):
    """GET filters of the coordinator's chains; invalid values are shown and ignored."""

    class Meta:
        csrf = False

    material = StringField(_l("Material"), filters=[strip],
                           validators=[Optional(), Length(max=FILTER_MAX)])
    municipality = SelectField(_l("Municipality"), choices=options([("", "–")]),
                               validate_choice=False,
                               validators=[Optional(), Length(max=FILTER_MAX)])


class ProjectForm(FlaskForm):
    title = StringField(_l("Project title"), filters=[strip],
                        validators=[InputRequired(), Length(max=TITLE_MAX)])
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=NOTE_MAX)])
    # the chain's suggestion ids, "12-40-7"
    chain = HiddenField(validators=[InputRequired(), Length(max=CHAIN_KEY_MAX), Regexp(r"^[0-9-]+$")])


class ProjectStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=options(PROJECT_STATUS.items()),
                         validators=[InputRequired(), AnyOf(STATUSES)])
