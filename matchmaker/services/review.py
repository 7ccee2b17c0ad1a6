"""From a suggestion to a partnership: companies answer, the coordinator reviews and introduces.

Privacy lives here, not in templates: a company sees a suggestion only while the other side's
listing is public and active (or once introduced), and gets the other side's contact details
only after the introduction. Every page and export for companies reads `PartnerSuggestion`,
which simply does not carry what may not be shown.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from matchmaker.config import Settings
from matchmaker.domain import workflow
from matchmaker.domain.errors import Conflict, DomainError, InvalidData, NotFound
from matchmaker.domain.interchange import neutralise
from matchmaker.domain.rules import canonical_unit
from matchmaker.domain.vocab import LANGUAGES, Role, Visibility
from matchmaker.domain.workflow import Status, TransitionNotAllowed
from matchmaker.matching import roles
from matchmaker.matching.geo import haversine_km
from matchmaker.matching.records import ListingRecord
from matchmaker.matching.score import strength
from matchmaker.matching.settings import MatchSettings
from matchmaker.models import Company, Listing, OutboxMail, Suggestion, SuggestionEvent, User
from matchmaker.models._time import utcnow
from matchmaker.services import mail
from matchmaker.services.matching import listing_signature, reason_text

EVIDENCE_LINES = MatchSettings()  # where evidence turns medium (min_concept/text_evidence)

# --- what a company may see --------------------------------------------------------------------

@dataclass(frozen=True)
class ListingSummary:
    id: int
    direction: str
    kind: str
    title: str
    description: str
    quantity: float | None
    unit: str | None
    frequency: str | None

    @classmethod
    def of(cls, listing: Listing) -> ListingSummary:
        return cls(listing.id, listing.direction, listing.kind, listing.title, listing.description,
                   listing.quantity, listing.unit, listing.frequency)


@dataclass(frozen=True)
class PartnerProfile:
    """The other company's public profile; contact fields are None until the introduction."""

    id: int
    name: str
    city: str
    municipality: str
    industry: str
    description: str
    website: str
    contact_person: str | None = None
    email: str | None = None
    phone: str | None = None

    @classmethod
    def of(cls, company: Company, introduced: bool) -> PartnerProfile:
        contact = ((company.contact_person, company.email, company.phone) if introduced
                   else (None, None, None))
        return cls(company.id, company.name, company.city, company.municipality, company.industry,
                   company.description, company.website, *contact)


@dataclass(frozen=True)
class PartnerSuggestion:
    id: int
    status: str
    score: float
    distance_km: float | None
    pair_type: str
    origin: str
    side: str  # the viewer's side: "offer" (supplies) or "need" (receives)
    reasons: list[dict]
    own_listing: ListingSummary
    partner_listing: ListingSummary
    partner: PartnerProfile
    answer: str | None
    answer_reason: str | None
    created_at: datetime
    strength: str = ""  # of the evidence: strong | medium | weak ("" for a pair made by hand)

    @property
    def introduced(self) -> bool:
        return workflow.is_introduced(self.status)

    @property
    def answerable(self) -> bool:
        return self.status in workflow.ANSWERABLE

    def to_dict(self, language: str) -> dict[str, object]:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        data["introduced"] = self.introduced
        data["reasons"] = [{**r, "text": reason_text(r, language)} for r in self.reasons]
        return data


def _introduced_clause():
    return col(Suggestion.status).in_([s.value for s in workflow.INTRODUCED_STATUSES])


def _company_suggestions_query(company_id: int):
    """Suggestions the company may see, with both listings (the privacy rule, in SQL)."""
    offer, need = aliased(Listing), aliased(Listing)

    def shown(listing):  # noqa: ANN001, ANN202
        return and_(listing.visibility == Visibility.PUBLIC.value, listing.active)

    introduced = _introduced_clause()
    return (
        select(Suggestion, offer, need)
        .join(offer, offer.id == Suggestion.offer_listing_id)
        .join(need, need.id == Suggestion.need_listing_id)
        .where(col(Suggestion.status).in_([s.value for s in workflow.COMPANY_VISIBLE]))
        .where(or_(
            and_(Suggestion.offer_company_id == company_id, or_(introduced, shown(need))),
            and_(Suggestion.need_company_id == company_id, or_(introduced, shown(offer))),
        ))
    )


def _partner_views(session: Session, company_id: int, rows: Iterable) -> list[PartnerSuggestion]:
    rows = list(rows)
    partner_ids = {s.need_company_id if s.offer_company_id == company_id else s.offer_company_id
                   for s, _o, _n in rows}
    partners = {c.id: c for c in session.exec(
        select(Company).where(col(Company.id).in_(partner_ids)))} if partner_ids else {}
    views = []
    for s, offer, need in rows:
        mine = s.offer_company_id == company_id
        side = "offer" if mine else "need"
        own, other = (offer, need) if mine else (need, offer)
        partner = partners[s.need_company_id if mine else s.offer_company_id]
        views.append(PartnerSuggestion(
            id=s.id, status=s.status, score=s.score, distance_km=s.distance_km,
            pair_type=s.pair_type, origin=s.origin, side=side, reasons=list(s.reasons or []),
            own_listing=ListingSummary.of(own), partner_listing=ListingSummary.of(other),
            partner=PartnerProfile.of(partner, workflow.is_introduced(s.status)),
            answer=s.offer_answer if mine else s.need_answer,
            answer_reason=s.offer_answer_reason if mine else s.need_answer_reason,
            created_at=s.created_at,
            strength=strength(s.components or {}, EVIDENCE_LINES) if s.origin == "engine" else "",
        ))
    return views


def partner_suggestions(session: Session, user: User) -> list[PartnerSuggestion]:
    """The user's company's suggestions, best first."""
    if user.company_id is None:
        return []
    rows = session.exec(_company_suggestions_query(user.company_id)
                        .order_by(col(Suggestion.score).desc(), Suggestion.id))
    return _partner_views(session, user.company_id, rows)


PARTNER_CSV_COLUMNS = (
    "suggestion_id", "status", "score", "distance_km", "pair_type", "origin", "your_listing_id",
    "your_listing_title", "partner_company", "partner_city", "partner_municipality",
    "partner_listing_id", "partner_listing_kind", "partner_listing_title",
    "partner_contact_person", "partner_email", "partner_phone", "reasons", "your_answer",
    "your_answer_reason",
)


def partner_export(session: Session, user: User, fmt: str, language: str) -> str:
    """The company's suggestions as CSV or JSON, with the same privacy as the page."""
    views = partner_suggestions(session, user)
    if fmt == "json":
        return json.dumps({"format": "matchmaker/partners-v1",
                           "suggestions": [v.to_dict(language) for v in views]},
                          ensure_ascii=False, indent=2) + "\n"
    rows = [(v.id, v.status, v.score, v.distance_km, v.pair_type, v.origin, v.own_listing.id,
             v.own_listing.title, v.partner.name, v.partner.city, v.partner.municipality,
             v.partner_listing.id, v.partner_listing.kind, v.partner_listing.title,
             v.partner.contact_person, v.partner.email, v.partner.phone,
             "; ".join(reason_text(r, language) for r in v.reasons), v.answer, v.answer_reason)
            for v in views]
    return _csv(PARTNER_CSV_COLUMNS, rows)


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(str(v)) for v in row])
    return out.getvalue()


def _pair_text(offer_company: Company, offer: Listing, need_company: Company, need: Listing
               ) -> str:
    return f"{offer_company.name}: {offer.title} → {need_company.name}: {need.title}"[:500]


def _event(suggestion: Suggestion, actor: User | None, action: str, *, note: str = "",
           from_status: str | None = None, to_status: str | None = None,
           pair: str = "") -> SuggestionEvent:
    return SuggestionEvent(
        suggestion_id=suggestion.id, actor_user_id=actor.id if actor else None,
        actor=actor.email if actor else "system", action=action, from_status=from_status,
        to_status=to_status, note=note[:2000], pair=pair,
    )


def answer(session: Session, user: User, suggestion_id: int, answer: str,
           reason: str | None = None) -> PartnerSuggestion:
    """A company's 'interested' / 'not relevant', visible to the coordinator."""
    if user.company_id is None:
        raise NotFound("suggestion")
    row = session.exec(_company_suggestions_query(user.company_id)
                       .where(Suggestion.id == suggestion_id)
                       .with_for_update(of=Suggestion)).first()
    if row is None:
        raise NotFound("suggestion")
    suggestion, offer, need = row
    try:
        reason = workflow.check_answer(suggestion.status, answer, reason)
    except DomainError:
        session.rollback()  # release the row lock at once
        raise
    side = "offer" if suggestion.offer_company_id == user.company_id else "need"
    setattr(suggestion, f"{side}_answer", answer)
    setattr(suggestion, f"{side}_answer_reason", reason)
    suggestion.updated_at = utcnow()
    companies = {c.id: c for c in session.exec(select(Company).where(col(Company.id).in_(
        [suggestion.offer_company_id, suggestion.need_company_id])))}
    session.add(suggestion)
    session.add(_event(
        suggestion, user, "answer", note=f"{side}: {answer}" + (f" ({reason})" if reason else ""),
        pair=_pair_text(companies[suggestion.offer_company_id], offer,
                        companies[suggestion.need_company_id], need)))
    session.commit()
    return _partner_views(session, user.company_id, [(suggestion, offer, need)])[0]


def set_digest(session: Session, user: User, enabled: bool) -> None:
    user.digest_enabled = enabled
    session.add(user)
    session.commit()


# --- the coordinator's queue -------------------------------------------------------------------

ANSWER_FILTERS = ("any_interested", "both_interested", "any_not_relevant", "unanswered")
SORTS = ("score_desc", "score_asc", "distance_asc", "distance_desc", "newest", "updated")


@dataclass(frozen=True)
class QueueFilters:
    statuses: tuple[str, ...] = ()
    score_min: float | None = None
    score_max: float | None = None
    distance_max: float | None = None
    municipality: str = ""
    kind: str = ""
    company_id: int | None = None
    answers: str = ""
    origin: str = ""
    sort: str = "score_desc"
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True)
class MatchRow:
    suggestion: Suggestion
    offer: Listing
    need: Listing
    offer_company: Company
    need_company: Company

    @property
    def pair(self) -> str:
        return _pair_text(self.offer_company, self.offer, self.need_company, self.need)


@dataclass(frozen=True)
class QueuePage:
    rows: list[MatchRow]
    total: int
    page: int
    pages: int


def _joined(*columns):  # noqa: ANN002, ANN202
    offer, need = aliased(Listing, name="offer_l"), aliased(Listing, name="need_l")
    offer_co, need_co = aliased(Company, name="offer_c"), aliased(Company, name="need_c")
    what = columns or (Suggestion, offer, need, offer_co, need_co)
    query = (select(*what)
             .select_from(Suggestion)
             .join(offer, offer.id == Suggestion.offer_listing_id)
             .join(need, need.id == Suggestion.need_listing_id)
             .join(offer_co, offer_co.id == Suggestion.offer_company_id)
             .join(need_co, need_co.id == Suggestion.need_company_id))
    return query, (offer, need, offer_co, need_co)


def _conditions(f: QueueFilters, offer, need, offer_co, need_co) -> list:  # noqa: ANN001
    s = Suggestion
    conds: list = []
    if f.statuses:
        conds.append(col(s.status).in_(f.statuses))
    if f.score_min is not None:
        conds.append(s.score >= f.score_min)
    if f.score_max is not None:
        conds.append(s.score <= f.score_max)
    if f.distance_max is not None:
        conds.append(s.distance_km <= f.distance_max)
    if f.municipality:
        conds.append(or_(offer_co.municipality == f.municipality,
                         need_co.municipality == f.municipality))
    if f.kind:
        conds.append(or_(offer.kind == f.kind, need.kind == f.kind))
    if f.company_id is not None:
        conds.append(or_(s.offer_company_id == f.company_id, s.need_company_id == f.company_id))
    if f.origin:
        conds.append(s.origin == f.origin)
    if f.answers == "any_interested":
        conds.append(or_(s.offer_answer == "interested", s.need_answer == "interested"))
    elif f.answers == "both_interested":
        conds.append(and_(s.offer_answer == "interested", s.need_answer == "interested"))
    elif f.answers == "any_not_relevant":
        conds.append(or_(s.offer_answer == "not_relevant", s.need_answer == "not_relevant"))
    elif f.answers == "unanswered":
        conds.append(and_(col(s.offer_answer).is_(None), col(s.need_answer).is_(None)))
    return conds


def _order(sort: str) -> list:
    s = Suggestion
    no_distance = col(s.distance_km).is_(None)  # unknown distances last, on every database
    return {
        "score_asc": [col(s.score).asc()],
        "distance_asc": [no_distance, col(s.distance_km).asc()],
        "distance_desc": [no_distance, col(s.distance_km).desc()],
        "newest": [col(s.created_at).desc()],
        "updated": [col(s.updated_at).desc()],
    }.get(sort, [col(s.score).desc()]) + [col(s.id).asc()]


def review_queue(session: Session, f: QueueFilters) -> QueuePage:
    """One page of suggestions under the filters; filtering, sorting and paging run in SQL."""
    query, aliases = _joined()
    conds = _conditions(f, *aliases)
    count_query, count_aliases = _joined(func.count(Suggestion.id))
    total = session.exec(count_query.where(*_conditions(f, *count_aliases))).one()
    pages = max(1, math.ceil(total / f.per_page))
    page = min(max(1, f.page), pages)
    rows = session.exec(query.where(*conds).order_by(*_order(f.sort))
                        .offset((page - 1) * f.per_page).limit(f.per_page))
    return QueuePage([MatchRow(*row) for row in rows], total, page, pages)


def queue_choices(session: Session) -> dict[str, list]:
    """Values the queue's filters offer: municipalities and companies that appear in matches."""
    municipalities = sorted(set(session.exec(
        select(Company.municipality).where(Company.municipality != "").distinct())), key=str.lower)
    companies = list(session.exec(select(Company.id, Company.name).order_by(Company.name)))
    return {"municipalities": municipalities, "companies": companies}


@dataclass(frozen=True)
class MatchDetail:
    row: MatchRow
    events: list[SuggestionEvent]
    targets: frozenset[Status] = field(default_factory=frozenset)


def _match_row(session: Session, suggestion_id: int, *, lock: bool = False) -> MatchRow:
    query, _aliases = _joined()
    query = query.where(Suggestion.id == suggestion_id)
    if lock:
        query = query.with_for_update(of=Suggestion)
    row = session.exec(query).first()
    if row is None:
        raise NotFound("suggestion")
    return MatchRow(*row)


def match_detail(session: Session, suggestion_id: int) -> MatchDetail:
    row = _match_row(session, suggestion_id)
    events = list(session.exec(select(SuggestionEvent)
                               .where(SuggestionEvent.suggestion_id == suggestion_id)
                               .order_by(col(SuggestionEvent.created_at), col(SuggestionEvent.id))))
    return MatchDetail(row, events, workflow.allowed_targets(row.suggestion.status))


# --- transitions -------------------------------------------------------------------------------

@dataclass
class Decision:
    """What a transition did, so the page can say whether the mail left already."""

    suggestions: list[Suggestion]
    mails_queued: int = 0
    mails_sent: int = 0

    @property
    def mails_waiting(self) -> int:
        return self.mails_queued - self.mails_sent


@dataclass(frozen=True)
class Outcome:
    volume: float | None = None
    unit: str | None = None


def _check_details(to_status: str, note: str, outcome: Outcome | None) -> Outcome | None:
    problems = []
    if to_status == Status.REJECTED and not note.strip():
        problems.append("note: a rejection needs a reason")
    if outcome is not None and to_status in workflow.OUTCOMES:
        if outcome.volume is not None and (outcome.volume < 0 or not math.isfinite(outcome.volume)):
            problems.append("volume: must be a number of at least 0")
        unit = canonical_unit(outcome.unit) if outcome.unit else None
        if outcome.unit and unit is None:
            problems.append(f"unit: unknown unit {outcome.unit!r}")
        if outcome.volume is not None and not outcome.unit:
            problems.append("unit: give the unit of the volume")
        outcome = Outcome(outcome.volume, unit)
    if problems:
        raise InvalidData(problems)
    return outcome


def _apply(session: Session, actor: User, row: MatchRow, to_status: str, note: str,
           outcome: Outcome | None, settings: Settings | None) -> list[OutboxMail]:
    s = row.suggestion
    from_status = s.status
    s.status = to_status
    s.updated_at = utcnow()
    # What the listings looked like at this decision: a later material change reopens a rejection.
    s.offer_signature, s.need_signature = listing_signature(row.offer), listing_signature(row.need)
    mails: list[OutboxMail] = []
    if to_status == Status.INTRODUCED:
        s.introduced_at = s.updated_at
        mails = _queue_introduction(session, actor, row, note, settings)
    if to_status in workflow.OUTCOMES and outcome is not None:
        s.outcome_volume, s.outcome_unit = outcome.volume, outcome.unit
        if note:
            s.outcome_note = note[:2000]
    session.add(s)
    session.add(_event(s, actor, "transition", note=note, from_status=from_status,
                       to_status=to_status, pair=row.pair))
    return mails


def _commit_and_deliver(session: Session, decision: Decision, mails: list[OutboxMail],
                        settings: Settings | None) -> Decision:
    try:
        session.commit()
    except IntegrityError:  # another coordinator made the same decision a moment ago
        session.rollback()
        raise Conflict("the suggestion changed meanwhile") from None
    decision.mails_queued = len(mails)
    if mails and settings is not None:
        report = mail.send_outbox(session, settings, ids=[m.id for m in mails])
        decision.mails_sent = report.sent
    return decision


def transition(session: Session, actor: User, suggestion_id: int, to_status: str, *,
               note: str = "", outcome: Outcome | None = None,
               settings: Settings | None = None) -> Decision:
    """Move one suggestion; introducing it queues the mails (and tries to send them at once)."""
    note = note.strip()
    outcome = _check_details(to_status, note, outcome)
    row = _match_row(session, suggestion_id, lock=True)
    if not workflow.can_transition(row.suggestion.status, to_status):
        session.rollback()
        raise TransitionNotAllowed(row.suggestion.status, to_status, suggestion_id)
    mails = _apply(session, actor, row, to_status, note, outcome, settings)
    return _commit_and_deliver(session, Decision([row.suggestion]), mails, settings)


def bulk_transition(session: Session, actor: User, suggestion_ids: Iterable[int], to_status: str,
                    *, note: str = "", settings: Settings | None = None) -> Decision:
    """All selected suggestions move, or none does."""
    if to_status not in (Status.INTRODUCED, Status.REJECTED, Status.DEFERRED):
        raise InvalidData([f"action: no bulk action leads to {to_status!r}"])
    ids = sorted(set(suggestion_ids))
    if not ids:
        raise InvalidData(["selection: choose at least one match"])
    note = note.strip()
    _check_details(to_status, note, None)
    try:
        rows = [_match_row(session, i, lock=True) for i in ids]
    except NotFound:
        session.rollback()
        raise
    for row in rows:
        if not workflow.can_transition(row.suggestion.status, to_status):
            session.rollback()
            raise TransitionNotAllowed(row.suggestion.status, to_status, row.suggestion.id)
    mails = [m for row in rows for m in _apply(session, actor, row, to_status, note, None, settings)]
    return _commit_and_deliver(session, Decision([r.suggestion for r in rows]), mails, settings)


def add_note(session: Session, actor: User, suggestion_id: int, note: str) -> None:
    note = note.strip()
    if not note:
        raise InvalidData(["note: write something"])
    row = _match_row(session, suggestion_id)
    session.add(_event(row.suggestion, actor, "note", note=note, pair=row.pair))
    session.commit()


# --- pairing by hand ---------------------------------------------------------------------------

def _record(listing: Listing) -> ListingRecord:
    return ListingRecord(listing_id=listing.id, company_id=listing.company_id,
                         direction=listing.direction, kind=listing.kind,  # type: ignore[arg-type]
                         title=listing.title, active=listing.active)


def pairing_choices(session: Session) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(suppliers, receivers) for the hand-pairing form: active listings that can take a side."""
    rows = session.exec(select(Listing, Company).join(Company, Company.id == Listing.company_id)
                        .where(col(Listing.active)).order_by(Company.name, Listing.title))
    left, right = [], []
    for listing, company in rows:
        label = f"{company.name} — {listing.title} ({listing.direction}, {listing.kind})"
        sides = {side for _pt, side in roles.roles(_record(listing))}
        if "left" in sides:
            left.append((listing.id, label))
        if "right" in sides:
            right.append((listing.id, label))
    return left, right


def create_manual(session: Session, actor: User, offer_listing_id: int, need_listing_id: int,
                  note: str = "") -> tuple[Suggestion, bool]:
    """A pair the engine missed; (suggestion, created) — an existing pair is returned as is."""
    offer, need = session.get(Listing, offer_listing_id), session.get(Listing, need_listing_id)
    if offer is None or need is None:
        raise NotFound("listing")
    oriented = roles.orient(_record(offer), _record(need))
    if oriented is None:
        raise InvalidData(["pair: these two listings cannot be paired (same company, inactive, "
                           "or no supplier for the other side)"])
    left, right, pair_type = oriented
    if left.listing_id != offer.id:
        offer, need = need, offer
    existing = session.exec(select(Suggestion).where(
        Suggestion.offer_listing_id == offer.id, Suggestion.need_listing_id == need.id)).first()
    if existing is not None:
        return existing, False
    offer_co, need_co = session.get(Company, offer.company_id), session.get(Company, need.company_id)
    distance = (round(haversine_km(offer_co.lat, offer_co.lon, need_co.lat, need_co.lon), 1)
                if offer_co.has_location and need_co.has_location else None)
    reasons: list[dict] = [{"code": "manual", "params": {}}]
    reasons.append({"code": "distance", "params": {"km": round(distance)}} if distance is not None
                   else {"code": "distance_unknown", "params": {}})
    suggestion = Suggestion(
        offer_listing_id=offer.id, need_listing_id=need.id, offer_company_id=offer_co.id,
        need_company_id=need_co.id, pair_type=pair_type, score=1.0, components={},
        distance_km=distance, reasons=reasons, settings_version="manual", origin="manual",
        offer_signature=listing_signature(offer), need_signature=listing_signature(need),
    )
    session.add(suggestion)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict("the pair exists already") from None
    session.add(_event(suggestion, actor, "created", note=note.strip(), to_status=Status.SUGGESTED,
                       pair=_pair_text(offer_co, offer, need_co, need)))
    session.commit()
    return suggestion, True


# --- mail --------------------------------------------------------------------------------------

def _recipients(session: Session, company: Company) -> list[tuple[str, str, int | None]]:
    """(address, language, user id) for a company: its active users, else its own address."""
    users = list(session.exec(select(User).where(User.company_id == company.id, col(User.active))
                              .order_by(User.id)))
    if users:
        return [(u.email, u.language, u.id) for u in users]
    return [(company.email, "nb", None)] if company.email else []


def _language(language: str) -> str:
    return language if language in LANGUAGES else "nb"


def _queue_introduction(session: Session, actor: User, row: MatchRow, note: str,
                        settings: Settings | None) -> list[OutboxMail]:
    """One mail to each user of both sides with the other's contact details, and a copy."""
    s = row.suggestion
    base_url = settings.base_url if settings else ""
    mails: list[OutboxMail] = []
    sides = ((row.offer_company, row.offer, row.need_company, row.need),
             (row.need_company, row.need, row.offer_company, row.offer))
    addressed: list[str] = []
    for company, own, partner, partner_listing in sides:
        for address, language, user_id in _recipients(session, company):
            language = _language(language)
            subject, body = mail.render_mail(
                "email/introduction.txt", language,
                _l("Introduction: %(partner)s", partner=partner.name),
                company=company, own=own, partner=partner, partner_listing=partner_listing,
                reasons=[reason_text(r, language) for r in s.reasons], note=note,
                coordinator=actor, base_url=base_url,
            )
            key = f"intro:{s.id}:{user_id}" if user_id else f"intro:{s.id}:company:{company.id}"
            queued = mail.enqueue(session, key=key, to=address, subject=subject, body=body)
            if queued is not None:
                mails.append(queued)
                addressed.append(address)
    language = _language(actor.language)
    subject, body = mail.render_mail(
        "email/introduction_copy.txt", language,
        _l("Copy: introduced %(a)s and %(b)s", a=row.offer_company.name, b=row.need_company.name),
        row=row, reasons=[reason_text(r, language) for r in s.reasons], note=note,
        addressed=addressed, base_url=base_url,
    )
    queued = mail.enqueue(session, key=f"intro:{s.id}:{actor.id}", to=actor.email,
                          subject=subject, body=body)
    if queued is not None:
        mails.append(queued)
    return mails


@dataclass
class DigestReport:
    users_mailed: int = 0
    users_skipped: int = 0


def queue_digests(session: Session, settings: Settings, now: datetime | None = None
                  ) -> DigestReport:
    """A mail per company user with new open suggestions since their last digest."""
    now = now or utcnow()
    report = DigestReport()
    users = list(session.exec(select(User).where(
        User.role == Role.MEMBER.value, col(User.active), col(User.digest_enabled),
        col(User.company_id).is_not(None), User.email != "").order_by(User.id)))
    for user in users:
        query = _company_suggestions_query(user.company_id).where(
            col(Suggestion.status).in_([s.value for s in workflow.ANSWERABLE]),
            Suggestion.created_at <= now)
        if user.last_digest_at is not None:
            query = query.where(Suggestion.created_at > user.last_digest_at)
        views = _partner_views(session, user.company_id, session.exec(
            query.order_by(col(Suggestion.score).desc(), Suggestion.id)))
        if not views:
            report.users_skipped += 1
            continue
        language = _language(user.language)
        subject, body = mail.render_mail(
            "email/digest.txt", language,
            lazy_ngettext("%(num)d new suggested partner", "%(num)d new suggested partners",
                          len(views)),
            user=user, views=views, base_url=settings.base_url,
            reasons={v.id: [reason_text(r, language) for r in v.reasons] for v in views},
        )
        mail.enqueue(session, key=f"digest:{user.id}:{now:%Y%m%dT%H%M%S%f}", to=user.email,
                     subject=subject, body=body)
        user.last_digest_at = now
        session.add(user)
        report.users_mailed += 1
    session.commit()
    return report


# --- audit log ---------------------------------------------------------------------------------

AUDIT_COLUMNS = ("id", "created_at", "suggestion_id", "pair", "actor", "action", "from_status",
                 "to_status", "note")


@dataclass(frozen=True)
class AuditPage:
    events: list[SuggestionEvent]
    total: int
    page: int
    pages: int


def audit_page(session: Session, page: int = 1, per_page: int = 100,
               suggestion_id: int | None = None) -> AuditPage:
    conds = [SuggestionEvent.suggestion_id == suggestion_id] if suggestion_id else []
    total = session.exec(select(func.count(SuggestionEvent.id)).where(*conds)).one()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    events = list(session.exec(
        select(SuggestionEvent).where(*conds)
        .order_by(col(SuggestionEvent.created_at).desc(), col(SuggestionEvent.id).desc())
        .offset((page - 1) * per_page).limit(per_page)))
    return AuditPage(events, total, page, pages)


def audit_export(session: Session, fmt: str) -> str:
    """The whole audit log, oldest first, as CSV (cells neutralised) or JSON."""
    events = session.exec(select(SuggestionEvent)
                          .order_by(col(SuggestionEvent.created_at), col(SuggestionEvent.id)))
    records = [{name: getattr(e, name) for name in AUDIT_COLUMNS} for e in events]
    for record in records:
        record["created_at"] = record["created_at"].isoformat()
    if fmt == "json":
        return json.dumps({"format": "matchmaker/audit-v1", "events": records},
                          ensure_ascii=False, indent=2) + "\n"
    return _csv(AUDIT_COLUMNS, ([r[name] for name in AUDIT_COLUMNS] for r in records))
