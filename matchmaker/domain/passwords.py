"""The password rule, in one place: long enough, not a common password, not easy to guess.

The common passwords are the 30,000 most frequent ones from leaked password sets, as shipped
(and kept) by the ``zxcvbn`` package; ``zxcvbn`` itself estimates how guessable the rest are
(dictionary words, keyboard patterns, dates, repeats, and the user's own name and address).
Registration, password change, reset and the ``create-user`` command all ask `weakness`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from functools import cache

MIN_LENGTH = 10
MAX_LENGTH = 200
MIN_SCORE = 2  # zxcvbn's 0..4 scale; 2 = "somewhat guessable", ~10^8 guesses and more
_ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters decide anyway


class Weakness(StrEnum):
    TOO_SHORT = "too short"
    TOO_LONG = "too long"
    COMMON = "one of the most common passwords"
    GUESSABLE = "too easy to guess"


@cache
def common_passwords() -> frozenset[str]:
    """Lower-case common passwords, built once on first use."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def _words(user_inputs: Iterable[str | None]) -> list[str]:
    """Each input whole and split into its words: 'per@solor-bio.example' -> per, solor, bio…"""
    words: list[str] = []
    for value in user_inputs:
        if value:
            value = value.strip().lower()
            words.append(value)
            words.extend(w for w in re.split(r"[\W_]+", value) if len(w) >= 3)
    return words


def weakness(password: str, user_inputs: Iterable[str | None] = ()) -> Weakness | None:
    """Why this password is refused, or None when it is good enough.

    `user_inputs` are the account's own details (email, name, company): a password made of
    them is easy to guess for anyone who knows whose account it is.
    """
    if len(password) < MIN_LENGTH:
        return Weakness.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return Weakness.TOO_LONG
    if password.lower() in common_passwords():
        return Weakness.COMMON
    from zxcvbn import zxcvbn

    if zxcvbn(password[:_ZXCVBN_MAX], user_inputs=_words(user_inputs))["score"] < MIN_SCORE:
        return Weakness.GUESSABLE
    return None
