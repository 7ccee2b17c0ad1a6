from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SearchField
from wtforms.validators import Length, NumberRange, Optional

from matchmaker import labels
from matchmaker.forms import SelectField, options
from matchmaker.services.companies import DirectoryFilters


class CompanyFilterForm(FlaskForm):
    """The directory's GET filters; an invalid value is shown and ignored, never a 500."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)])
    municipality = SelectField(_l("Municipality"), choices=options([("", "–")]),
                               validate_choice=False)
    direction = SelectField(_l("Offers or needs"), choices=options([
        ("", _l("Both")), ("offer", _l("Offers")), ("need", _l("Needs"))]), validators=[Optional()])
    kind = SelectField(_l("Kind"), choices=options([("", "–"), *labels.KIND.items()]),
                       validators=[Optional()])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1)])

    def set_municipalities(self, names: list[str]) -> None:
        self.municipality.choices = options([("", _l("All municipalities")),
                                             *((m, m) for m in names)])

    def _good(self, name: str, default=None):  # noqa: ANN001, ANN202
        field = self[name]
        return default if field.errors or field.data in (None, "") else field.data

    def filters(self, per_page: int, **extra) -> DirectoryFilters:  # noqa: ANN003
        return DirectoryFilters(
            text=(self._good("q", "") or "")[:100], municipality=self._good("municipality", ""),
            kind=self._good("kind", ""), direction=self._good("direction", ""),
            page=self._good("page", 1), per_page=per_page, **extra)
