from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SearchField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from matchmaker import labels as common_labels
from matchmaker.domain.workflow import ANSWER_REASONS, ANSWERS, NOTE_MAX, Status
from matchmaker.forms import (
    FiniteDecimalField,
    SelectField,
    SelectMultipleField,
    coerce_db_id,
    options,
    strip,
)
from matchmaker.review import labels
from matchmaker.review.decisions import BULK
from matchmaker.services.partner_page import GROUPS, STRENGTHS, PartnerFilters
from matchmaker.services.review import ANSWER_FILTERS, SORTS, QueueFilters
from matchmaker.web_input import db_id


class AnswerForm(FlaskForm):
    answer = HiddenField(validators=[InputRequired(), AnyOf(ANSWERS)])
    reason = SelectField(_l("Why not?"), choices=options([("", "–"), *labels.ANSWER_REASON.items()]),
                         validators=[Optional(), AnyOf(("", *ANSWER_REASONS))])


class DigestForm(FlaskForm):
    enabled = BooleanField(_l("Email me a digest of new suggested partners"))


class PartnerFilterForm(FlaskForm):
    """The partner page's GET filters; an invalid value is shown and ignored."""

    class Meta:
        csrf = False

    group = HiddenField(validators=[Optional(), AnyOf(("", *GROUPS))])
    listing = SelectField(_l("Your listing"), choices=options([("", "–")]), coerce=str,
                          validate_choice=False)
    strength = SelectField(_l("Strength"), choices=options([
        ("", "–"), *((s, labels.STRENGTH_MATCH[s]) for s in STRENGTHS)]),
        validators=[Optional(), AnyOf(("", *STRENGTHS))])
    q = SearchField(_l("Company or listing"), validators=[Optional(), Length(max=100)])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1)])
    show = HiddenField()

    def filters(self) -> PartnerFilters:
        def good(field, default=None):  # noqa: ANN001, ANN202
            return default if field.errors or field.data in (None, "") else field.data

        return PartnerFilters(group=good(self.group, ""), listing_id=db_id(good(self.listing, "")),
                              strength=good(self.strength, ""), text=good(self.q, ""),
                              page=good(self.page, 1), show=db_id(self.show.data))


class QueueFilterForm(FlaskForm):
    """The queue's GET filters; invalid values are shown and ignored."""

    class Meta:
        csrf = False

    status = SelectMultipleField(_l("Status"), choices=options(list(labels.STATUS.items())),
                                 validators=[Optional()])
    score_min = FiniteDecimalField(_l("Score from"), places=None,
                             validators=[Optional(), NumberRange(min=0, max=1)])
    score_max = FiniteDecimalField(_l("Score to"), places=None,
                             validators=[Optional(), NumberRange(min=0, max=1)])
    distance_max = FiniteDecimalField(_l("At most km"), places=None,
                                validators=[Optional(), NumberRange(min=0)])
    municipality = SelectField(_l("Municipality"), choices=options([("", "–")]), validate_choice=False)
    kind = SelectField(_l("Kind"), choices=options([("", "–"), *common_labels.KIND.items()]),
                       validators=[Optional()])
    company = SelectField(_l("Company"), choices=options([("", "–")]), validate_choice=False)
    answers = SelectField(_l("Companies' answers"), choices=options([
        ("", "–"), ("any_interested", _l("At least one interested")),
        ("both_interested", _l("Both interested")),
        ("any_not_relevant", _l("At least one 'not relevant'")),
        ("unanswered", _l("No answers yet"))]), validators=[Optional(), AnyOf(("", *ANSWER_FILTERS))])
    origin = SelectField(_l("Made by"), choices=options([("", "–"), *labels.ORIGIN.items()]),
                         validators=[Optional()])
    sort = SelectField(_l("Sort by"), choices=options([
        ("score_desc", _l("Best score first")), ("score_asc", _l("Lowest score first")),
        ("distance_asc", _l("Nearest first")), ("distance_desc", _l("Farthest first")),
        ("newest", _l("Newest first")), ("updated", _l("Recently changed"))]),
        default="score_desc", validators=[Optional(), AnyOf(SORTS)])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1)])

    def filters(self, per_page: int = 50) -> QueueFilters:
        def good(field, default=None):  # noqa: ANN001, ANN202
            return default if field.errors or field.data in (None, "") else field.data

        company = good(self.company, "")
        return QueueFilters(
            statuses=tuple(self.status.data or ()) if not self.status.errors else (),
            score_min=float(good(self.score_min)) if good(self.score_min) is not None else None,
            score_max=float(good(self.score_max)) if good(self.score_max) is not None else None,
            distance_max=(float(good(self.distance_max)) if good(self.distance_max) is not None
                          else None),
            municipality=good(self.municipality, ""), kind=good(self.kind, ""),
            company_id=db_id(company),
            answers=good(self.answers, ""), origin=good(self.origin, ""),
            sort=good(self.sort, "score_desc"), page=good(self.page, 1), per_page=per_page,
        )


BULK_ACTIONS = (Status.INTRODUCED.value, Status.DEFERRED.value, Status.REJECTED.value)


class BulkForm(FlaskForm):
    ids = SelectMultipleField(coerce=coerce_db_id, validate_choice=False)
    action = SelectField(_l("With the selected"), choices=[
        SelectChoice(status, labels.ACTION[status], render_kw=BULK[status].data)
        for status in BULK_ACTIONS])
    note = TextAreaField(_l("Note (a rejection needs a reason)"), filters=[strip],
                         validators=[Optional(), Length(max=NOTE_MAX)])

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        ok = super().validate(extra_validators)
        if not self.ids.data:
            self.ids.errors.append(_l("Choose at least one match."))
            ok = False
        if self.action.data == Status.REJECTED and not self.note.data:
            self.note.errors.append(_l("Give a reason for the rejection."))
            ok = False
        return ok


class TransitionForm(FlaskForm):
    to = HiddenField(validators=[InputRequired(), AnyOf([s.value for s in Status])])
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=NOTE_MAX)])
    volume = FiniteDecimalField(_l("Volume"), places=None, validators=[
        Optional(), NumberRange(min=0, message=_l("Must not be negative."))])
    unit = SelectField(_l("Unit"), choices=options([("", "–"), *common_labels.UNIT.items()]),
                       validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        ok = super().validate(extra_validators)
        if self.to.data == Status.REJECTED and not self.note.data:
            self.note.errors.append(_l("Give a reason for the rejection."))
            ok = False
        if self.volume.data is not None and not self.unit.data:
            self.unit.errors.append(_l("Choose the unit of the volume."))
            ok = False
        return ok


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), filters=[strip],
                         validators=[InputRequired(), Length(max=NOTE_MAX)])


class ManualPairForm(FlaskForm):
    offer = SelectField(_l("Supplying listing"), coerce=int, validators=[InputRequired()])
    receiver = SelectField(_l("Receiving listing (a need, or a processing capability)"),
                           coerce=int, validators=[InputRequired()])
    note = TextAreaField(_l("Why these two?"), filters=[strip],
                         validators=[Optional(), Length(max=NOTE_MAX)])


OUTCOMES = (Status.IN_DIALOGUE.value, Status.AGREEMENT.value, Status.NO_DEAL.value)


class OutcomeForm(FlaskForm):
    """A company's report after an introduction: how it went, and for an agreement how much."""

    outcome = SelectField(_l("How did it go?"), choices=options([
        (status, labels.STATUS[status]) for status in OUTCOMES]),
        validators=[InputRequired(), AnyOf(OUTCOMES)])
    volume = FiniteDecimalField(_l("Agreed volume"), places=None, validators=[
        Optional(), NumberRange(min=0, message=_l("Must not be negative."))])
    unit = SelectField(_l("Unit"), choices=options([("", "–"), *common_labels.UNIT.items()]),
                       validators=[Optional()])
    note = TextAreaField(_l("Note (seen by the coordinator and your partner)"), filters=[strip],
                         validators=[Optional(), Length(max=NOTE_MAX)])

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        ok = super().validate(extra_validators)
        if self.volume.data is not None and not self.unit.data:
            self.unit.errors.append(_l("Choose the unit of the volume."))
            ok = False
        return ok
