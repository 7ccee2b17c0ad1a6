"""Folding and the word lists normalisation works with: stop words, language, the small
words that qualify or negate a noun, inflection suffixes.

Folding: casefold; ``æ→ae``, ``ø→o``, ``å→a`` (also ``ä→ae``, ``ö→o`` and other accents
stripped), then the ASCII spellings ``aa→a`` and ``oe→o`` — so "stålskrap", "staalskrap"
and "stalskrap" are one token, and "grønn"/"groenn"/"gronn" likewise. Text and thesaurus
terms are folded by the same function.
"""

from __future__ import annotations

import re
import unicodedata

#: gas formulas are words of their own: without their digits "CO2" would be "co", and every
#: "co-processing" and "co-firing" would name carbon dioxide (and "N2", "H2" single letters)
FORMULAS = ("co2", "h2s", "h2", "o2", "n2o", "n2", "ch4", "so2", "no2", "nh3")
WORDS = re.compile(r"(?<![^\W_])(?:" + "|".join(FORMULAS) + r")(?![^\W_])|[^\W\d_]+",
                   re.UNICODE | re.IGNORECASE)
SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_SPECIAL = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "ae", "ö": "o", "ß": "ss", "þ": "th"})


def fold_token(token: str) -> str:
    """Fold one casefolded-or-not word to its canonical ASCII-ish spelling."""
    t = token.casefold().translate(_SPECIAL)
    if not t.isascii():
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    return t.replace("aa", "a").replace("oe", "o")


def words(text: str) -> list[str]:
    """Letter runs of ``text`` (digits and punctuation separate words) and gas formulas
    (``FORMULAS``: "CO₂" is "co2"), casefolded."""
    return WORDS.findall(text.casefold().translate(SUBSCRIPTS))


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
    {"av", "fra", "til", "med", "i", "of", "from", "with", "in"}  # nb, en
    | {"fran", "till"}  # sv (folded "från"; "av", "med", "i" as nb)
    | {"af"}  # da ("fra", "til", "med", "i" as nb)
)
#: a modifier coordinated with one after a preposition is a modifier too ("sagflis fra gran
#: *og* furu": both species qualify the sawdust)
COORDINATORS: frozenset[str] = frozenset({"og", "eller", "samt", "and", "or", "och", "ja", "tai"})
#: the content word after one of these is what the listing is *not* ("ikke impregnert",
#: "ikke til brensel", "uten tungmetaller", "not treated"): it is dropped
NEGATIONS: frozenset[str] = frozenset(
    {"ikke", "uten", "not", "without", "non", "inte", "ej", "utan", "uden", "ilman"}
)
#: words between a negation and what it negates ("ikke *egnet* til pellets")
NEGATION_BRIDGES: frozenset[str] = frozenset(
    {"egnet", "egna", "beregnet", "brukt", "suitable", "intended", "used", "meant", "fit", "egnad"}
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
