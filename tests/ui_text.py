"""What a reader sees on a page, and what must never be among it: raw codes ("not_relevant",
"by-product", "pcs", "text 0.39", "(offer, material)") in any language, and English left
untranslated in the Bokmål one. Shared by the page walk (test_ui_language) and the browser
journeys, which pass the page source they got from the browser."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

from matchmaker.domain.vocab import Direction, Kind
from matchmaker.domain.workflow import Status

ROOT = Path(__file__).resolve().parent.parent
_HIDDEN = {"script", "style", "template", "datalist"}  # a datalist offers values, not prose
_SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += tag not in _VOID
            return
        values = dict(attrs)
        shown = [values.get(name) for name in _SHOWN_ATTRIBUTES]
        if tag == "input" and values.get("type") in ("submit", "button"):
            shown.append(values.get("value"))
        self.nodes.extend(v.strip() for v in shown if v and v.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.nodes.append(" ".join(data.split()))


def visible_nodes(html: str) -> list[str]:
    """The page's text, one entry per text node (and per shown attribute), spaces collapsed."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.nodes


# Codes that are a reader's word nowhere: statuses, answers, reasons, kinds, audit actions.
_CODE_WORDS = {
    *(s.value for s in Status), *(d.value for d in Direction), *(k.value for k in Kind),
    "interested", "not_relevant", "too_far", "wrong_quality", "wrong_volume", "already_partner",
    "answer", "transition", "reopened", "supply", "processing", "product",
}
_CODE_PATTERNS = (
    re.compile(r"\b[a-z]+(?:_[a-z]+)+\b"),  # snake_case: not_relevant, in_dialogue, score_desc
    re.compile(r"\bpcs\b"),
    re.compile(r"\b(?:text|concept|distance|kind|quantity|semantic|grade) \d+[.,]\d+"),
    re.compile(r"\((?:offer|need), [a-z-]+\)"),
    re.compile(r"^(?:offer|need): [a-z_]+(?: \([a-z_]+\))?$"),  # a stored answer note, whole
    re.compile(r"\b(\w+) ⇄ \1\b"),  # a pair type as one direction twice: "Tilbud ⇄ Tilbud"
)
_NOT_PROSE = re.compile(r"\S+@\S+|https?://\S+|/[\w./-]+")  # e-mail, links, paths


def raw_codes(nodes: list[str]) -> list[str]:
    """Nodes that are, or contain, a code instead of words."""
    found = []
    for node in nodes:
        prose = _NOT_PROSE.sub(" ", node)
        if node in _CODE_WORDS or any(p.search(prose) for p in _CODE_PATTERNS):
            found.append(node)
    return found


@cache
def _english_only() -> tuple[frozenset[str], tuple[str, ...]]:
    """Catalog messages whose Bokmål differs: the whole node for short ones, a substring
    for those of three words or more (long enough not to occur in a member's own text)."""
    path = ROOT / "matchmaker/translations/nb/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    whole, phrases = set(), []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if not msgid or msgid in strings or "%(" in msgid or not re.search("[a-z]", msgid):
                continue
            whole.add(msgid)
            if len(msgid.split()) >= 3:
                phrases.append(msgid)
    return frozenset(whole), tuple(phrases)


def page_problems(html: str, language: str) -> list[str]:
    """Raw codes on a page in either language, and English left in a Bokmål one."""
    nodes = visible_nodes(html)
    found = [f"raw code {node!r}" for node in raw_codes(nodes)]
    if language == "nb":
        found += [f"English {node!r}" for node in untranslated(nodes)]
    return found


def untranslated(nodes: list[str]) -> list[str]:
    """Nodes of a Bokmål page that show a catalog message in English."""
    whole, phrases = _english_only()
    return [node for node in nodes
            if node in whole or node.rstrip(":.") in whole or any(p in node for p in phrases)]
