"""Synthetic registries for benchmarks: N companies (~5 listings each) at real Norwegian places.

    python bench/synth.py 20            # print 20 companies' listings

Deterministic for a seed. The wording comes from a frozen vocabulary,
``bench/data/synth_vocabulary.json`` (the thesaurus as of 2026-11-28), so the workload stays
the same when the live thesaurus grows and benchmark figures stay comparable over time; the
engine itself matches with the live thesaurus. Wording is built from the terms (Bokmål ~70 %, English
~30 %) plus free words, with random typos, ASCII spellings of ø/æ/å and compounds; about
2 % of companies have no location. Towns in the Kongsvinger / Eastern Norway region are
weighted up (the cluster's home), the rest of the country is present too.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from matchmaker.matching.records import ListingRecord  # noqa: E402
from matchmaker.matching.thesaurus import Thesaurus  # noqa: E402

VOCABULARY = ROOT / "bench" / "data" / "synth_vocabulary.json"  # frozen: a fixed workload

# (name, lat, lon, weight)
TOWNS: tuple[tuple[str, float, float, int], ...] = (
    ("Kongsvinger", 60.190, 12.004, 6),
    ("Flisa", 60.614, 12.011, 3),
    ("Kirkenær", 60.459, 12.058, 3),
    ("Skarnes", 60.254, 11.683, 3),
    ("Årnes", 60.124, 11.465, 3),
    ("Magnor", 59.956, 12.209, 2),
    ("Elverum", 60.881, 11.562, 3),
    ("Hamar", 60.795, 11.068, 3),
    ("Brumunddal", 60.881, 10.939, 2),
    ("Rena", 61.134, 11.365, 2),
    ("Trysil", 61.315, 12.263, 2),
    ("Jessheim", 60.142, 11.175, 3),
    ("Eidsvoll", 60.330, 11.261, 2),
    ("Lillestrøm", 59.956, 11.050, 3),
    ("Oslo", 59.913, 10.752, 6),
    ("Ski", 59.719, 10.835, 2),
    ("Askim", 59.583, 11.163, 2),
    ("Mysen", 59.569, 11.327, 2),
    ("Moss", 59.434, 10.659, 2),
    ("Sarpsborg", 59.284, 11.110, 2),
    ("Fredrikstad", 59.220, 10.935, 2),
    ("Halden", 59.123, 11.387, 2),
    ("Drammen", 59.744, 10.204, 2),
    ("Hønefoss", 60.168, 10.257, 2),
    ("Gjøvik", 60.795, 10.692, 2),
    ("Raufoss", 60.726, 10.612, 2),
    ("Lillehammer", 61.115, 10.466, 2),
    ("Kongsberg", 59.669, 9.650, 1),
    ("Tønsberg", 59.267, 10.407, 1),
    ("Sandefjord", 59.131, 10.216, 1),
    ("Larvik", 59.053, 10.028, 1),
    ("Porsgrunn", 59.140, 9.656, 1),
    ("Skien", 59.209, 9.609, 1),
    ("Notodden", 59.559, 9.258, 1),
    ("Arendal", 58.461, 8.772, 1),
    ("Grimstad", 58.341, 8.593, 1),
    ("Kristiansand", 58.147, 7.996, 1),
    ("Mandal", 58.029, 7.461, 1),
    ("Flekkefjord", 58.297, 6.662, 1),
    ("Egersund", 58.451, 5.999, 1),
    ("Stavanger", 58.970, 5.733, 1),
    ("Sandnes", 58.852, 5.738, 1),
    ("Haugesund", 59.413, 5.268, 1),
    ("Leirvik", 59.779, 5.500, 1),
    ("Bergen", 60.391, 5.322, 1),
    ("Voss", 60.628, 6.418, 1),
    ("Førde", 61.452, 5.857, 1),
    ("Ålesund", 62.472, 6.155, 1),
    ("Molde", 62.737, 7.160, 1),
    ("Kristiansund", 63.110, 7.728, 1),
    ("Trondheim", 63.430, 10.395, 1),
    ("Orkanger", 63.305, 9.850, 1),
    ("Levanger", 63.746, 11.299, 1),
    ("Steinkjer", 64.014, 11.495, 1),
    ("Namsos", 64.467, 11.496, 1),
    ("Røros", 62.574, 11.384, 1),
    ("Tynset", 62.276, 10.782, 1),
    ("Otta", 61.771, 9.538, 1),
    ("Fagernes", 60.986, 9.232, 1),
    ("Gol", 60.701, 8.939, 1),
    ("Mosjøen", 65.836, 13.191, 1),
    ("Mo i Rana", 66.313, 14.142, 1),
    ("Bodø", 67.280, 14.405, 1),
    ("Narvik", 68.438, 17.427, 1),
    ("Harstad", 68.799, 16.541, 1),
    ("Tromsø", 69.649, 18.956, 1),
    ("Alta", 69.968, 23.272, 1),
    ("Kirkenes", 69.727, 30.045, 1),
)

# domain -> weight of companies having it as their main line of business
DOMAIN_WEIGHTS: dict[str, int] = {
    "wood": 10,
    "energy": 6,
    "metal": 6,
    "food": 5,
    "agriculture": 6,
    "construction": 5,
    "services": 3,
    "chemicals": 2,
    "waste": 3,
    "plastics": 3,
    "packaging": 2,
    "logistics": 3,
    "textiles": 1,
    "water": 1,
}

FREE_NB = (
    "tørr",
    "ren",
    "ubehandlet",
    "sortert",
    "blandet",
    "storsekk",
    "bulk",
    "løs",
    "lager",
    "sesong",
    "container",
    "jevn",
    "rask",
    "lokal",
    "kort",
    "varsel",
    "avtale",
    "henting",
    "tomta",
    "hall",
    "hele",
    "året",
    "fra",
    "vår",
    "produksjon",
    "nær",
    "E6",
    "rv2",
    "godkjent",
    "sertifisert",
)
FREE_EN = (
    "dry",
    "clean",
    "sorted",
    "mixed",
    "bulk",
    "bags",
    "storage",
    "season",
    "local",
    "short",
    "notice",
    "contract",
    "pickup",
    "site",
    "from",
    "our",
    "plant",
    "certified",
    "approved",
    "near",
)
UNITS_BY_DOMAIN = {"energy": ("MWh", "kWh", "MW"), "services": ("h", "pcs"), "logistics": ("h", "pcs")}
FREQS = ("once", "week", "month", "year", "year", "year", "continuous")
FREQ_NB = {"week": "uke", "month": "mnd", "year": "år"}


@dataclass(frozen=True)
class _Vocab:
    by_domain: dict[str, list[str]]  # non-process concept ids per domain
    processes: list[str]
    process_domain: dict[str, str]
    terms: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # id -> (nb, en)


def _vocab(th: Thesaurus) -> _Vocab:
    by_domain: dict[str, list[str]] = {}
    for cid in sorted(th.concepts):
        c = th.concepts[cid]
        if cid in th.processes or not (c.nb or c.en):
            continue
        by_domain.setdefault(c.domain, []).append(cid)
    procs = sorted(th.processes)
    pdom = {p: th.concepts[p].domain if p in th.concepts else "services" for p in procs}
    terms = {cid: (c.nb, c.en) for cid, c in th.concepts.items()}
    return _Vocab(by_domain, procs, pdom, terms)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 2)
    op = rng.randrange(3)
    if op == 0:  # swap neighbours
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == 1:  # drop a letter
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # double a letter


def _ascii(rng: random.Random, text: str) -> str:
    aa = rng.random() < 0.5
    return (
        text.replace("ø", "o")
        .replace("å", "aa" if aa else "a")
        .replace("æ", "ae")
        .replace("Ø", "O")
        .replace("Å", "Aa" if aa else "A")
        .replace("Æ", "Ae")
    )


def _term(rng: random.Random, v: _Vocab, cid: str, lang: str) -> str:
    nb, en = v.terms[cid]
    pool = (nb or en) if lang == "nb" else (en or nb)
    return rng.choice(pool)


def _quantity(rng: random.Random, domain: str) -> tuple[float | None, str | None, str | None]:
    if rng.random() < 0.25:
        return None, None, None
    units = UNITS_BY_DOMAIN.get(domain, ("t", "t", "m3", "kg"))
    unit = rng.choice(units)
    amount = float(rng.choice((1, 2, 5, 10, 20, 50, 100, 200, 400, 1000, 2500)))
    return amount, unit, rng.choice(FREQS)


def generate(
    n_companies: int, seed: int = 42, thesaurus: Thesaurus | None = None, listings_per_company: float = 5.0
) -> Iterator[ListingRecord]:
    """Yield the listings of ``n_companies`` synthetic companies (deterministic for ``seed``)."""
    th = thesaurus or Thesaurus.load(VOCABULARY)
    v = _vocab(th)
    rng = random.Random(seed)
    towns = [t for t in TOWNS for _ in range(t[3])]
    domains = [d for d, w in DOMAIN_WEIGHTS.items() for _ in range(w) if d in v.by_domain]
    listing_id = 0
    for company_id in range(1, n_companies + 1):
        town = rng.choice(towns)
        if rng.random() < 0.02:
            lat: float | None = None
            lon: float | None = None
        else:
            lat = round(town[1] + rng.gauss(0, 0.06), 5)
            lon = round(town[2] + rng.gauss(0, 0.12), 5)
        main = rng.choice(domains)
        side = rng.choice(domains)
        n = max(1, round(rng.gauss(listings_per_company, 1.2)))
        for _ in range(n):
            listing_id += 1
            yield _listing(rng, v, listing_id, company_id, main if rng.random() < 0.7 else side, lat, lon)


def _listing(
    rng: random.Random,
    v: _Vocab,
    listing_id: int,
    company_id: int,
    domain: str,
    lat: float | None,
    lon: float | None,
) -> ListingRecord:
    lang = "nb" if rng.random() < 0.7 else "en"
    r = rng.random()
    if r < 0.25:
        direction, kind = "offer", "by-product"
    elif r < 0.42:
        direction, kind = "offer", "material"
    elif r < 0.62:
        direction, kind = "need", "material"
    elif r < 0.70:
        direction, kind = "need", "by-product"
    elif r < 0.80:
        direction, kind = "offer", "capability"
    elif r < 0.88:
        direction, kind = "need", "service"
    elif r < 0.93:
        direction, kind = "offer", "service"
    elif r < 0.96:
        direction, kind = "need", "capability"
    else:
        direction, kind = rng.choice((("offer", "energy"), ("need", "energy")))
        domain = "energy"
    pool = v.by_domain.get(domain) or v.by_domain["wood"]
    if kind in ("capability", "service"):
        procs = [p for p in v.processes if v.process_domain[p] == domain] or v.processes
        cid = (
            rng.choice(procs)
            if kind == "capability" or rng.random() < 0.5
            else rng.choice(v.by_domain.get("services", pool) + v.by_domain.get("logistics", []))
        )
    else:
        cid = rng.choice(pool)
    term = _term(rng, v, cid, lang)
    if rng.random() < 0.08:
        term = " ".join(_typo(rng, w) for w in term.split())
    t = term[:1].upper() + term[1:]
    amount, unit, freq = _quantity(rng, domain)
    q = f"{amount:g} {unit}" if amount is not None else ""
    if lang == "nb":
        if direction == "offer" and kind == "capability":
            title = rng.choice((f"{t} – ledig kapasitet", f"Tilbyr {term}", f"{t}, tar imot råstoff"))
        elif direction == "offer":
            per = f"/{FREQ_NB[freq]}" if freq in FREQ_NB else ""
            title = rng.choice((t, f"{t}, ca {q}{per}" if q else t, f"Selger {term}", f"Overskudd av {term}"))
        else:
            title = rng.choice((f"Trenger {term}", f"Søker {term}", f"Kjøper {term}", f"Behov for {term}"))
        free: tuple[str, ...] = FREE_NB
    else:
        if direction == "offer" and kind == "capability":
            title = rng.choice((f"{t} capacity available", f"We offer {term}", f"{t} services"))
        elif direction == "offer":
            title = rng.choice((f"{t} available", f"{t} for sale, approx {q}" if q else t, f"Surplus {term}"))
        else:
            title = rng.choice((f"Looking for {term}", f"Need {term}", f"Wanted: {term}", f"Buying {term}"))
        free = FREE_EN
    extra = _term(rng, v, rng.choice(pool), lang) if rng.random() < 0.5 else ""
    description = " ".join(rng.sample(free, rng.randint(2, 6)))
    if extra:
        description = f"{extra}, {description}"
    if rng.random() < 0.1:
        title, description = _ascii(rng, title), _ascii(rng, description)
    return ListingRecord(
        listing_id=listing_id,
        company_id=company_id,
        direction=direction,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
        title=title,
        description=description,
        quantity=amount,
        unit=unit,
        frequency=freq,
        lat=lat,
        lon=lon,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    n = int(args[0]) if args else 10
    for r in generate(n):
        loc = f"{r.lat:.3f},{r.lon:.3f}" if r.lat is not None else "?"
        qty = f"{r.quantity:g} {r.unit}/{r.frequency}" if r.quantity is not None else "-"
        head = f"{r.company_id:>5} {r.listing_id:>6} {r.direction:<5} {r.kind:<10} {loc:<15} {qty:<16}"
        print(f"{head} {r.title} | {r.description}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
