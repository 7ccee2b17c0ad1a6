"""Step 1 — normalisation: folding, tokens, stop words, compounds, inflection, typos, units.

Everything here is deterministic and pure. ``Normaliser`` holds a vocabulary (the folded
words of the thesaurus) and caches its per-token decisions, so a registry with a
repetitive vocabulary is normalised at dictionary-lookup speed.

Folding: casefold; ``æ→ae``, ``ø→o``, ``å→a`` (also ``ä→ae``, ``ö→o`` and other accents
stripped), then the ASCII spellings ``aa→a`` and ``oe→o`` — so "stålskrap", "staalskrap"
and "stalskrap" are one token, and "grønn"/"groenn"/"gronn" likewise. Text and thesaurus
terms are folded by the same function.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from rapidfuzz import fuzz, process

_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)
_SPECIAL = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "ae", "ö": "o", "ß": "ss", "þ": "th"})


def fold_token(token: str) -> str:
    """Fold one casefolded-or-not word to its canonical ASCII-ish spelling."""
    t = token.casefold().translate(_SPECIAL)
    if not t.isascii():
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    return t.replace("aa", "a").replace("oe", "o")


def words(text: str) -> list[str]:
    """Letter runs of ``text`` (digits and punctuation separate words), casefolded."""
    return _LETTERS.findall(text.casefold())


def fold(text: str) -> str:
    """Folded words of ``text`` joined by single spaces (numbers and punctuation dropped)."""
    return " ".join(fold_token(w) for w in words(text))


def fold_phrase(text: str) -> tuple[str, ...]:
    return tuple(fold_token(w) for w in words(text))


# Function words and listing boilerplate that carry no matching signal. Direction verbs
# ("selger", "trenger", "offer", "need") must be here: they differ systematically between
# the two sides of every pair. Units and frequencies are here too (quantities are compared
# numerically, not as words).
_DEFAULT_STOPWORDS_NB = """
og i jeg det at en et ei den til er som pa de med han av ikke der sa var meg seg men ett har om vi
min mitt ha hadde hun na over da ved fra du ut sin dem oss opp man kan hans hvor eller hva skal selv
her alle vil bli ble blitt kunne inn nar vaere kom noen noe ville dere deres kun ja etter ned skulle
denne for deg si sine sitt mot meget hvorfor dette disse uten hvordan ingen din ditt blir samme
hvilken hvilke sann inni mellom var hver hvem hvis bade bare enn fordi for mange ogsa slik vart begge
siden vare vart vaare ca cirka omtrent pr per ar arlig uke ukentlig maned manedlig dag daglig dogn
tonn kg kilo liter stk stykk kubikk kubikkmeter mwh kwh gwh mw kw timer time m
selger selges salg tilbyr tilbys tilbud tilbyes kjoper kjopes kjop onsker onskes trenger trengs behov
soker sokes leverer leveres levering leverandor hentes henting hente gratis mengde mengder stor store
storre liten lite sma god godt gode fast faste jevnlig jevn lopende fortlopende aktuelt interessert
interesse kontakt ta firma bedrift bedriften vi vare oss egen eget egne mer mye flere ulike diverse
type typer til imot motta mottar tar gir far fikk gift kr
"""
_DEFAULT_STOPWORDS_EN = """
a an the and or of for to in on at by with from into as is are be been being was were it its this
that these those we our us you your they their them he she his her i me my not no nor but if then so
than too very can will would should could may might must shall do does did have has had about
approx approximately around per year yearly annual annually month monthly week weekly day daily
tonnes tonne tons ton kg litres liters litre liter pcs pieces mwh kwh gwh mw kw hours hour
offer offers offered offering sell sells selling sale supply supplies available need needs needed
wanted want wants seek seeking looking buy buying purchase quantity quantities large small big good
regular regularly continuous free pickup delivery delivered deliver company contact any some more
much many various other type types
"""

# The neighbours' languages: cross-border clusters write Swedish, Danish and Finnish too.
_DEFAULT_STOPWORDS_SV = """
och det att i en ett jag hon som han pa den med var sig for sa till ar men om hade de av icke mig du
henne da sin nu har inte hans honom skulle hennes dar min man ej vid kunde nagot fran ut nar efter upp
vi dem vara vad over an dig kan sina har ha mot alla under nagon eller allt mycket sedan ju denna sjalv
detta at utan varit hur ingen mitt ni bli blev oss din dessa nagra deras blir mina samma vilken er
sadan var blivit dess inom mellan sadant varfor varje vilka ditt vem vilket vart dina vars vart vara
ert era cirka ungefar arligen ars manad manadsvis vecka veckovis dygn st styck kubikmeter
saljes saljer forsaljning erbjuder erbjuds erbjudes kopes koper kop soker sokes behover behovs onskas
levererar levereras leverans hamtas hamtning gratis mangd mangder stor stora liten sma bra lopande
regelbundet intresserad foretag foretaget vart vara egen eget egna mer mer fler olika typ typer ta tar
"""
_DEFAULT_STOPWORDS_DA = """
og i jeg det at en den til er som pa de med han af for ikke der var mig sig men et har om vi min havde
ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne
ind nar vaere dog noget ville jo deres efter ned skulle denne end dette mit ogsa under have dig anden
hende mine alt meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes vaeret jer
sadan cirka omkring arligt om aret maned ugentlig dogn stk styk
saelges saelger salg tilbyder tilbydes kobes kober kob soges soger behov onskes leverer leveres
levering afhentning afhentes gratis maengde maengder stor store lille sma god gode lobende fast faste
interesseret virksomhed virksomheden vores egen eget egne mere flere forskellige type typer tager
"""
_DEFAULT_STOPWORDS_FI = """
ja on ei se etta han oli ovat ole olla mutta tai kuin myos kun niin joka jos seka tama nama ne me te he
vain jo noin per vuodessa vuosittain kuukaudessa viikossa paivassa tonnia kpl kappaletta
myydaan myymme ostetaan ostamme haetaan haemme tarjoamme tarjotaan tarvitaan tarvitsemme toimitus
toimitamme nouto ilmainen ilmaiseksi maara suuri pieni hyva jatkuva saannollisesti yritys meidan
"""

DEFAULT_STOPWORDS_NB: frozenset[str] = frozenset(fold_token(w) for w in _DEFAULT_STOPWORDS_NB.split())
DEFAULT_STOPWORDS_EN: frozenset[str] = frozenset(fold_token(w) for w in _DEFAULT_STOPWORDS_EN.split())
DEFAULT_STOPWORDS_NEIGHBOURS: frozenset[str] = frozenset(
    fold_token(w)
    for words_ in (_DEFAULT_STOPWORDS_SV, _DEFAULT_STOPWORDS_DA, _DEFAULT_STOPWORDS_FI)
    for w in words_.split()
)
DEFAULT_STOPWORDS: frozenset[str] = DEFAULT_STOPWORDS_NB | DEFAULT_STOPWORDS_EN | DEFAULT_STOPWORDS_NEIGHBOURS


def detect_language(folded_words: list[str], stop_nb: frozenset[str], stop_en: frozenset[str]) -> str | None:
    """ "nb", "en" or None, by which language's function words are more frequent."""
    nb = en = 0
    for w in folded_words:
        if w in stop_nb:
            if w not in stop_en:
                nb += 1
        elif w in stop_en:
            en += 1
    if nb > en:
        return "nb"
    if en > nb:
        return "en"
    return None


#: words after which a noun qualifies the one before it ("bark *fra* gran", "transport
#: *av* flis", "sagflis *til* strø", "scrap *from* ...", material or packing form: "esker *i*
#: bølgepapp", "halm *i* rundball"): such a noun counts as a modifier
MODIFYING_PREPOSITIONS: frozenset[str] = frozenset(
    {"av", "fra", "til", "med", "i", "of", "from", "with", "in"}
)
#: a modifier coordinated with one after a preposition is a modifier too ("sagflis fra gran
#: *og* furu": both species qualify the sawdust)
COORDINATORS: frozenset[str] = frozenset({"og", "eller", "samt", "and", "or"})
#: the content word after one of these is what the listing is *not* ("ikke impregnert",
#: "ikke til brensel", "uten tungmetaller", "not treated"): it is dropped
NEGATIONS: frozenset[str] = frozenset({"ikke", "uten", "not", "without", "non"})
#: words between a negation and what it negates ("ikke *egnet* til pellets")
NEGATION_BRIDGES: frozenset[str] = frozenset(
    {"egnet", "egna", "beregnet", "brukt", "suitable", "intended", "used", "meant", "fit"}
)

# Inflection suffixes tried (longest first) when a word is not in the vocabulary:
# Norwegian definite/plural forms and English plurals.
_SUFFIXES: tuple[str, ...] = ("ene", "ane", "ers", "er", "ar", "en", "et", "es", "a", "e", "s", "r")


def stem_variants(token: str, min_len: int = 3) -> list[str]:
    """Candidate stems of ``token`` by stripping one inflection suffix (longest first)."""
    out: list[str] = []
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= min_len:
            out.append(token[: -len(suffix)])
    return out


TokenHow = Literal["known", "inflected", "compound", "typo", "unknown"]


@dataclass(frozen=True, slots=True)
class TokenAnalysis:
    """How one folded word was understood: the vocabulary words it stands for."""

    token: str
    parts: tuple[str, ...]  # vocabulary words (compound parts in order, head last); or (token,)
    how: TokenHow
    corrected_to: str | None = None  # set when how == "typo"


class Tok(NamedTuple):
    """A normalised token in a text, with the original word it came from."""

    norm: str
    surface: str
    weight: float  # 1.0, or the compound-modifier weight for non-head parts
    position: int  # index of the original word


# what a word does in ``Normaliser.tokens`` (by its folded form)
_CONTENT, _SKIP, _PREPOSITION, _COORDINATOR, _NEGATION = 0, 1, 2, 3, 4


class Normaliser:
    """Folds, filters and repairs words against a vocabulary (cached per distinct word)."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        stopwords: Iterable[str] = DEFAULT_STOPWORDS,
        *,
        typo_cutoff: float = 85.0,
        typo_min_len: int = 5,
        compound_min_part: int = 3,
    ) -> None:
        self.stopwords: frozenset[str] = frozenset(fold_token(s) for s in stopwords)
        vocab = {fold_token(v) for v in vocabulary}
        self.vocabulary: frozenset[str] = frozenset(
            v for v in vocab if len(v) >= 2 and v not in self.stopwords
        )
        self._vocab_list: list[str] = sorted(self.vocabulary)
        # stem -> vocabulary word: lets "pellet" find "pellets" and "sponet" find "spon"
        stems: dict[str, str] = {}
        for v in self._vocab_list:
            for s in stem_variants(v):
                stems.setdefault(s, v)
        self._stems = stems
        self.typo_cutoff = typo_cutoff
        self.typo_min_len = typo_min_len
        self.compound_min_part = compound_min_part
        self._cache: dict[str, TokenAnalysis] = {}
        self._typo_by_len: dict[int, list[str]] = {}
        self._fold_cache: dict[str, str] = {}
        self._word_cache: dict[str, tuple[str, int, tuple[tuple[str, bool], ...], str | None]] = {}

    # -- single words ---------------------------------------------------------------
    def _inflected(self, token: str) -> str | None:
        """A vocabulary word this is an inflected form of ("sponene" -> "spon")."""
        if token in self._stems:  # vocabulary word minus its ending ("pellet" -> "pellets")
            return self._stems[token]
        variants = stem_variants(token)
        for s in variants:
            if s in self.vocabulary:
                return s
        for s in variants:  # both inflected ("plankene" / "planker"): only on a long stem
            if len(s) >= 5 and s in self._stems:
                return self._stems[s]
        return None

    def _known(self, token: str, allow_inflection: bool) -> str | None:
        if token in self.vocabulary:
            return token
        if allow_inflection and len(token) >= 4:
            return self._inflected(token)
        return None

    def split_compound(self, token: str) -> tuple[str, ...] | None:
        """Split a compound into known vocabulary words (fewest parts, longest head).

        Parts are at least ``compound_min_part`` letters; a linking "s" or "e" may sit
        between parts ("skog+s+avfall"); the last part may be inflected ("bark+en").
        Returns ``None`` when no full split exists.
        """
        n = len(token)
        m = self.compound_min_part
        if n < 2 * m:
            return None
        # best[i] = (parts, head_len) for token[i:], computed right to left
        best: list[tuple[tuple[str, ...], int] | None] = [None] * (n + 1)
        for i in range(n - m, -1, -1):
            candidates: list[tuple[tuple[str, ...], int]] = []
            tail = self._known(token[i:], allow_inflection=True) if i > 0 else None
            if tail is not None:
                candidates.append(((tail,), n - i))
            for j in range(i + m, n - m + 1):
                head = self._known(token[i:j], allow_inflection=False)
                if head is None:
                    continue
                for k in (j, j + 1):
                    if k > j and token[j] not in "se":
                        continue
                    rest = best[k] if k <= n else None
                    if rest is not None:
                        candidates.append(((head, *rest[0]), rest[1]))
            if candidates:
                best[i] = min(candidates, key=lambda c: (len(c[0]), -c[1], c[0]))
        result = best[0]
        if result is None or len(result[0]) < 2:
            return None
        parts = result[0]
        if len(parts) == 2:
            # "spon|platekapp" -> "sponplate|kapp": a modifier that forms a known word with
            # the first part of a compound head binds to it, and the head is the last part
            inner = self.split_compound(parts[1]) if len(parts[1]) >= 2 * m else None
            if inner is not None and len(inner) == 2:
                left = self._known(parts[0] + inner[0], allow_inflection=False)
                if left is not None and token.endswith(inner[1]):
                    return (left, inner[1])
        return parts

    def split_head(self, token: str) -> tuple[str, ...] | None:
        """Right-headed compound with an unknown modifier: "hestemøkk" -> ("heste", "mokk").

        The head (the longest known word ending the token, 4+ letters, possibly inflected)
        carries the meaning; the modifier (3+ letters) is kept as a word of its own.
        """
        m = self.compound_min_part
        for i in range(m, len(token) - 3):
            head = self._known(token[i:], allow_inflection=True)
            if head is not None:
                return (token[:i], head)
        return None

    def correct_typo(self, token: str) -> str | None:
        """The vocabulary word ``token`` is most likely a misspelling of, if any.

        rapidfuzz ``ratio`` >= ``typo_cutoff``; the first letter must agree and the lengths
        differ by at most two (real words outside the vocabulary are left alone more often).
        """
        if len(token) < self.typo_min_len or not self._vocab_list:
            return None
        for word, _score, _ in process.extract(
            token, self._typo_choices(len(token)), scorer=fuzz.ratio, score_cutoff=self.typo_cutoff, limit=5
        ):
            if word[0] == token[0] and abs(len(word) - len(token)) <= 2:
                return str(word)
        return None

    def _typo_choices(self, n: int) -> list[str]:
        """The vocabulary words (in order) whose length lets ``fuzz.ratio`` with an ``n``-letter
        word reach ``typo_cutoff`` (ratio <= 100 * (1 - |len difference| / len sum)); the
        others would fall below the cutoff anyway, so ``correct_typo`` finds the same word."""
        choices = self._typo_by_len.get(n)
        if choices is None:
            cutoff = self.typo_cutoff - 1e-6
            choices = self._typo_by_len[n] = [
                v for v in self._vocab_list if 100.0 * (1.0 - abs(len(v) - n) / (len(v) + n)) >= cutoff
            ]
        return choices

    def analyse_token(self, token: str) -> TokenAnalysis:
        """Understand one folded, non-stop word (cached)."""
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        result: TokenAnalysis
        if token in self.vocabulary:
            result = TokenAnalysis(token, (token,), "known")
        elif (infl := self._known(token, allow_inflection=True)) is not None:
            result = TokenAnalysis(token, (infl,), "inflected")
        elif (parts := self.split_compound(token)) is not None:
            result = TokenAnalysis(token, parts, "compound")
        elif (fixed := self.correct_typo(token)) is not None:
            result = TokenAnalysis(token, (fixed,), "typo", corrected_to=fixed)
        elif (parts := self.split_head(token)) is not None:
            result = TokenAnalysis(token, parts, "compound")
        else:
            result = TokenAnalysis(token, (token,), "unknown")
        self._cache[token] = result
        return result

    # -- texts ----------------------------------------------------------------------
    def fold(self, word: str) -> str:
        """``fold_token`` with a cache (a registry repeats its words a lot)."""
        folded = self._fold_cache.get(word)
        if folded is None:
            folded = self._fold_cache[word] = fold_token(word)
        return folded

    def _word_info(self, surface: str) -> tuple[str, int, tuple[tuple[str, bool], ...], str | None]:
        """Per distinct surface word (cached): (folded, role, (part, is head) pairs without
        stop words, typo correction) — everything ``tokens`` needs that does not depend on context."""
        folded = self.fold(surface)
        parts: tuple[tuple[str, bool], ...] = ()
        typo_to: str | None = None
        if folded in MODIFYING_PREPOSITIONS:
            role = _PREPOSITION
        elif folded in COORDINATORS:
            role = _COORDINATOR
        elif folded in NEGATIONS:
            role = _NEGATION
        elif len(folded) < 2 or folded in self.stopwords:
            role = _SKIP
        else:
            role = _CONTENT
            analysis = self.analyse_token(folded)
            if analysis.how == "typo":
                typo_to = analysis.corrected_to
            last = len(analysis.parts) - 1
            parts = tuple(
                (part, i == last) for i, part in enumerate(analysis.parts) if part not in self.stopwords
            )
        info = (folded, role, parts, typo_to)
        self._word_cache[surface] = info
        return info

    def tokens(
        self,
        text: str,
        modifier_weight: float = 0.5,
        limit: int | None = None,
        typo_weight: float = 0.8,
        seen: list[str] | None = None,
        prepositions_modify: bool = True,
    ) -> tuple[list[Tok], list[tuple[str, str]]]:
        """Normalised tokens of ``text`` plus the typo corrections made (surface, word).

        ``seen`` (if given) receives every folded word, stop words included. With
        ``prepositions_modify`` a word right after "av/fra/til/med/i/of/from/with/in" counts as a
        modifier (goods: "bark fra gran" is bark), and so does a word coordinated with it
        ("fra gran og furu"); for services and capabilities the word after "av" is what
        they work on ("gjenvinning av isopor") and keeps full weight. The content word after
        a negation ("ikke", "uten", "not", "without") is dropped.
        """
        out: list[Tok] = []
        corrections: list[tuple[str, str]] = []
        position = 0
        word_cache = self._word_cache
        append = out.append
        after_preposition = False
        last_modified = False  # the previous content word was a modifier after a preposition
        negated = False  # the next content word is negated
        last_negated = False  # the previous content word was (a coordinated one is too)
        text_words = words(text)
        proper = _proper_nouns(text, text_words)
        for i_word, surface in enumerate(text_words):
            info = word_cache.get(surface)
            if info is None:
                info = self._word_info(surface)
            folded, role, parts, typo_to = info
            if seen is not None:
                seen.append(folded)
            if proper and i_word in proper:  # "på Flisa", "to Oslo and Sweden": a place, not "flis"/"swede"
                continue
            if role != _CONTENT:
                if role == _SKIP:
                    continue
                if role == _PREPOSITION:
                    after_preposition = prepositions_modify
                    continue
                if role == _COORDINATOR:
                    after_preposition = after_preposition or last_modified
                    negated = negated or last_negated
                    continue
                # _NEGATION
                negated = True
                continue
            if negated:  # "ikke impregnert", "uten tungmetaller": not what the listing is
                if folded in NEGATION_BRIDGES:  # "ikke egnet til pellets eller strø"
                    continue
                negated = after_preposition = last_modified = False
                last_negated = True
                position += 1
                continue
            last_negated = False
            last_modified = after_preposition
            if typo_to is not None:
                corrections.append((surface, typo_to))
                certainty = typo_weight
            else:
                certainty = 1.0
            if after_preposition:  # "bark fra gran", "aske fra flis": the head comes first
                certainty *= modifier_weight
                after_preposition = False
            for part, is_head in parts:
                append(Tok(part, surface, certainty * (1.0 if is_head else modifier_weight), position))
            position += 1
            if limit is not None and position >= limit:
                break
        return out, corrections


_NO_PROPER: frozenset[int] = frozenset()
_SENTENCE_BREAKS = frozenset(".!?:;()[]\"'/\n–—-•*")


def _proper_nouns(text: str, text_words: list[str] | None = None) -> frozenset[int]:
    """Indexes (into ``words(text)``) of capitalised words inside a sentence: proper nouns.

    Only for ordinary sentence case: in Title Case text ("Steel Scrap For Melting") or for
    all-caps words (PP, MDF, GROT) capitals say nothing, and the first word of a sentence
    is capitalised anyway.
    """
    if text.islower() or not any(c.isupper() for c in text):
        return _NO_PROPER
    matches = list(_LETTERS.finditer(text))
    if text_words is None:
        text_words = words(text)
    if len(matches) != len(text_words):  # casefolding split a word (rare letters): give up
        return frozenset()
    inner: list[tuple[int, str]] = []  # words that do not start a sentence
    for i, m in enumerate(matches):
        j = m.start() - 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if j >= 0 and text[j] not in _SENTENCE_BREAKS and not text[j].isdigit():
            inner.append((i, m.group(0)))
    longer = [w for _, w in inner if len(w) > 3 and not w.isupper()]
    if sum(1 for w in longer if w[0].isupper()) * 2 > len(longer):
        return frozenset()  # Title Case (or nothing to judge by)
    return frozenset(i for i, w in inner if len(w) > 1 and w[0].isupper() and not w.isupper())


# -- quantities --------------------------------------------------------------------------

#: unit alias (folded) -> (dimension, factor to the dimension's base unit)
UNITS: Mapping[str, tuple[str, float]] = {
    "kg": ("mass", 1.0),
    "kilo": ("mass", 1.0),
    "t": ("mass", 1000.0),
    "tonn": ("mass", 1000.0),
    "tonne": ("mass", 1000.0),
    "tonnes": ("mass", 1000.0),
    "ton": ("mass", 1000.0),
    "tons": ("mass", 1000.0),
    "l": ("volume", 1.0),
    "liter": ("volume", 1.0),
    "litre": ("volume", 1.0),
    "m3": ("volume", 1000.0),
    "m^3": ("volume", 1000.0),
    "m³": ("volume", 1000.0),
    "kubikk": ("volume", 1000.0),
    "kwh": ("energy", 1.0),
    "mwh": ("energy", 1000.0),
    "gwh": ("energy", 1_000_000.0),
    "kw": ("power", 1.0),
    "mw": ("power", 1000.0),
    "pcs": ("count", 1.0),
    "stk": ("count", 1.0),
    "pallets": ("pallets", 1.0),
    "paller": ("pallets", 1.0),
    "h": ("hours", 1.0),
    "timer": ("hours", 1.0),
    "m2": ("area", 1.0),
    "m²": ("area", 1.0),
    "m": ("length", 1.0),
}

DIMENSIONS: tuple[str, ...] = (
    "mass",
    "volume",
    "energy",
    "power",
    "count",
    "pallets",
    "hours",
    "area",
    "length",
)

#: frequency -> occurrences per year (None: not a rate, e.g. "once" or "continuous")
PER_YEAR: Mapping[str, float | None] = {
    "once": None,
    "continuous": None,
    "day": 365.0,
    "week": 52.0,
    "month": 12.0,
    "year": 1.0,
}


@dataclass(frozen=True, slots=True)
class Quantity:
    amount: float  # in the dimension's base unit (kg, l, kWh, kW, ...)
    dimension: str
    unit: str  # as given, for display
    frequency: str | None = None

    def annual(self) -> float | None:
        per = PER_YEAR.get(self.frequency or "")
        return None if per is None else self.amount * per


def normalise_unit(unit: str | None) -> tuple[str, float] | None:
    if not unit:
        return None
    key = unit.strip().casefold().replace(" ", "").replace(".", "")
    return UNITS.get(key)


def normalise_quantity(
    quantity: float | None, unit: str | None, frequency: str | None = None
) -> Quantity | None:
    if quantity is None or not isinstance(quantity, (int, float)):
        return None
    q = float(quantity)
    if not math.isfinite(q) or q <= 0:
        return None
    norm = normalise_unit(unit)
    if norm is None:
        return None
    dimension, factor = norm
    freq = frequency.strip().casefold() if frequency else None
    return Quantity(q * factor, dimension, unit or "", freq if freq in PER_YEAR else None)


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """Convenience view used by tests and tools: the normalised words of one text."""

    tokens: tuple[str, ...]
    corrections: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def normalise_text(normaliser: Normaliser, text: str) -> NormalisedText:
    toks, corrections = normaliser.tokens(text)
    return NormalisedText(tuple(t.norm for t in toks), tuple(corrections))
