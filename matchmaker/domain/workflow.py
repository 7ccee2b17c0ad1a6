"""The life of a suggestion, from the engine's proposal to a partnership (or not).

Pure: the allowed transitions and the companies' answers as data, checked in one place so the
web, the CLI and bulk actions refuse exactly the same moves.
"""

from __future__ import annotations

from enum import StrEnum

from matchmaker.domain.errors import Conflict, InvalidData


class Status(StrEnum):
    SUGGESTED = "suggested"
    DEFERRED = "deferred"
    REJECTED = "rejected"
    INTRODUCED = "introduced"
    IN_DIALOGUE = "in_dialogue"
    AGREEMENT = "agreement"
    NO_DEAL = "no_deal"


S = Status
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.SUGGESTED: frozenset({S.INTRODUCED, S.REJECTED, S.DEFERRED}),
    S.DEFERRED: frozenset({S.SUGGESTED, S.INTRODUCED, S.REJECTED}),
    # Reopened by the coordinator, or by the engine when a listing changes materially.
    S.REJECTED: frozenset({S.SUGGESTED}),
    # Back to suggested: the coordinator withdraws an introduction made by mistake.
    S.INTRODUCED: frozenset({S.SUGGESTED, S.IN_DIALOGUE, S.AGREEMENT, S.NO_DEAL}),
    S.IN_DIALOGUE: frozenset({S.AGREEMENT, S.NO_DEAL}),
    S.AGREEMENT: frozenset(),
    S.NO_DEAL: frozenset(),
}

# From introduction on, both sides know each other: contact details may be shown.
INTRODUCED_STATUSES: frozenset[Status] = frozenset({S.INTRODUCED, S.IN_DIALOGUE, S.AGREEMENT,
                                                    S.NO_DEAL})
OUTCOMES: frozenset[Status] = frozenset({S.IN_DIALOGUE, S.AGREEMENT, S.NO_DEAL})
# Companies answer while the coordinator has not decided yet.
ANSWERABLE: frozenset[Status] = frozenset({S.SUGGESTED, S.DEFERRED})
# Shown to the two companies; a rejected pair simply disappears for them.
COMPANY_VISIBLE: frozenset[Status] = frozenset(set(Status) - {S.REJECTED})

ANSWERS: tuple[str, ...] = ("interested", "not_relevant")
ANSWER_REASONS: tuple[str, ...] = ("too_far", "wrong_quality", "wrong_volume", "already_partner",
                                   "other")
NOTE_MAX = 2000  # characters of a note on a suggestion (a decision, an outcome, a remark)


class TransitionNotAllowed(Conflict):
    """A move the table forbids; carries the statuses so the page can explain it."""

    def __init__(self, from_status: str, to_status: str, suggestion_id: int | None = None):
        super().__init__(f"a suggestion cannot go from {from_status!r} to {to_status!r}")
        self.from_status, self.to_status, self.suggestion_id = from_status, to_status, suggestion_id


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)


def allowed_targets(status: str) -> frozenset[Status]:
    return TRANSITIONS[Status(status)] if status in STATUSES else frozenset()


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in allowed_targets(from_status)


def check_transition(from_status: str, to_status: str) -> None:
    """Raise Conflict unless the move is in the table."""
    if not can_transition(from_status, to_status):
        raise TransitionNotAllowed(from_status, to_status)


def is_withdrawal(from_status: str, to_status: str) -> bool:
    """Undoing an introduction: the contact details are hidden again."""
    return from_status == S.INTRODUCED and to_status == S.SUGGESTED


def is_introduced(status: str) -> bool:
    return status in INTRODUCED_STATUSES


def check_answer(status: str, answer: str, reason: str | None) -> str | None:
    """The reason to store (only 'not relevant' has one); Conflict once the coordinator decided."""
    if answer not in ANSWERS:
        raise InvalidData([f"answer: one of {', '.join(ANSWERS)}"])
    if reason and reason not in ANSWER_REASONS:
        raise InvalidData([f"reason: one of {', '.join(ANSWER_REASONS)}"])
    if status not in ANSWERABLE:
        raise Conflict(f"a suggestion in status {status!r} takes no more answers")
    return (reason or None) if answer == "not_relevant" else None
