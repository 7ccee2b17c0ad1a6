"""What each of the coordinator's decisions looks like and asks for, written once for the match
page and the queue's bulk form: introduce is the way forward, defer and reopen a step aside,
reject and withdraw end something, ask first, and need a reason. app.js reads the data-
attributes; without script the server still refuses a rejection or withdrawal without a reason."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from matchmaker.domain.workflow import Status

PRIMARY, SECONDARY, DANGER = "primary", "secondary", "danger"
# the decisions the match page offers, in this order; the outcomes have their own form
DECISIONS = (Status.INTRODUCED.value, Status.DEFERRED.value, Status.SUGGESTED.value,
             Status.REJECTED.value)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # what the choice and its button say
    style: str
    hint: str  # what happens
    note_label: str  # what the note is for
    confirm: str = ""  # asked before it is done; "" for none
    needs_reason: bool = False

    @property
    def data(self) -> dict[str, object]:
        """The choice's data- attributes."""
        data: dict[str, object] = {"data-style": self.style, "data-submit-label": self.label,
                                   "data-note-label": self.note_label}
        if self.needs_reason:
            data["data-note-required"] = True
        if self.confirm:
            data["data-confirm"] = self.confirm
        return data


def _choice(target: str, withdrawal: bool) -> Choice:
    if target == Status.INTRODUCED:
        return Choice(target, _l("Introduce the companies"), PRIMARY, _l(
            "Both companies get each other’s contact details by e-mail and here in the service."),
            _l("Message to both companies (optional)"))
    if target == Status.DEFERRED:
        return Choice(target, _l("Defer"), SECONDARY, _l("Keep it for later; nobody is told."),
                      _l("Note (optional)"))
    if target == Status.SUGGESTED and withdrawal:
        return Choice(target, _l("Withdraw the introduction"), DANGER, _l(
            "Withdrawing hides the contact details from both companies again; the mail they got "
            "cannot be recalled."), _l("Reason (required)"),
            _l("Withdraw the introduction of these two companies?"), needs_reason=True)
    if target == Status.SUGGESTED:
        return Choice(target, _l("Reopen"), SECONDARY, _l("Back to the queue as a new suggestion."),
                      _l("Note (optional)"))
    return Choice(target, _l("Reject"), DANGER, _l("The pair is closed and leaves the companies’ lists."),
                  _l("Reason (required)"), _l("Reject this match? It is closed for good."),
                  needs_reason=True)


def decision_choices(status: str, targets: set[str] | list[str]) -> list[Choice]:
    """The decisions a match in `status` allows, as the match page offers them."""
    withdrawal = status == Status.INTRODUCED
    return [_choice(target, withdrawal) for target in DECISIONS if target in targets]


# The queue's bulk form: the same looks, said of the selected matches.
BULK = {
    Status.INTRODUCED.value: Choice(Status.INTRODUCED.value, _l("Introduce the selected"), PRIMARY,
                                    "", _l("Message to the companies (optional)")),
    Status.DEFERRED.value: Choice(Status.DEFERRED.value, _l("Defer the selected"), SECONDARY, "",
                                  _l("Note (optional)")),
    Status.REJECTED.value: Choice(Status.REJECTED.value, _l("Reject the selected"), DANGER, "",
                                  _l("Reason (required)"),
                                  _l("Reject the selected matches? They are closed for good."),
                                  needs_reason=True),
}
