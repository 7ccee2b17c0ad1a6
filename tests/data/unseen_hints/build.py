"""Build a labelled set (`tests/data/unseen_eval.json`, `symbiosis2_eval.json`) from research
hints and two writers' sides.

    python tests/data/unseen_hints/build.py split HINTS... --out DIR   # the writers' briefs
    python tests/data/unseen_hints/build.py join HINTS... --sides DIR --out FILE [--note FILE]

`split` turns the hints (networks, companies, flows, distractors; see README.md) into one
brief per side: every flow's supplier side and the supplier-side distractors for one writer,
every receiver side and the receiver-side distractors for the other, so neither sees the
other's hint. `join` puts the written listings back into companies and names the true pairs;
a network's pairs take the network's "split" ("tuning" or "holdout"; held out when it has none,
as every network of the unseen set).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SIDES = ("supplier", "receiver")


def _role(flow: dict, side: str) -> tuple[str, str]:
    """(direction, kind) of one side of a flow."""
    part = flow[side]
    if side == "supplier":
        return "offer", part["kind"]
    if flow["pair_type"] == "processing":
        return "offer", "capability"
    return "need", part["kind"]


def _notes(flow: dict, side: str) -> list[str]:
    tags = set(flow.get("tags", ()))
    notes = [t for t in ("typo", "jargon") if t in tags]
    if side == "receiver" and "use-not-material" in tags:
        notes.append("use-not-material")
    return notes


def _company(net: dict, cid: str) -> dict:
    c = next(c for c in net["companies"] if c["id"] == cid)
    return {k: c[k] for k in ("name", "industry", "city", "country", "language", "style")}


def split(hints: list[dict], out: Path) -> None:
    briefs: dict[str, list[dict]] = {s: [] for s in SIDES}
    for doc in hints:
        for net in doc["networks"]:
            for flow in net["flows"]:
                for side in SIDES:
                    part = flow[side]
                    direction, kind = _role(flow, side)
                    briefs[side].append({
                        "item": f"{flow['id']}:{side[0]}", "company": _company(net, part["company"]),
                        "direction": direction, "kind": kind, "hint": part["hint"],
                        "quantity": part.get("quantity"), "unit": part.get("unit"),
                        "frequency": part.get("frequency"), "notes": _notes(flow, side)})
            for d in net.get("distractors", ()):
                side = d["side"] if d["side"] in SIDES else SIDES[d["direction"] != "offer"]
                briefs[side].append({
                    "item": d["id"], "company": _company(net, d["company"]), "direction": d["direction"],
                    "kind": d["kind"], "hint": d["hint"], "quantity": d.get("quantity"),
                    "unit": d.get("unit"), "frequency": d.get("frequency"), "notes": []})
    out.mkdir(parents=True, exist_ok=True)
    for side, items in briefs.items():
        (out / f"brief_{side}.json").write_text(
            json.dumps({"side": side, "items": items}, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{side}: {len(items)} items")


def _add(listings: dict[str, list[dict]], cid: str, text: dict, direction: str, kind: str,
         brief: dict) -> str:
    """One written listing added to its company's; its "company/listing" key."""
    lid = f"l{len(listings[cid]) + 1}"
    listings[cid].append({
        "id": lid, "direction": direction, "kind": kind, "title": text["title"],
        "description": text.get("description") or "",
        "quantity": text.get("quantity", brief.get("quantity")),
        "unit": text.get("unit", brief.get("unit")),
        "frequency": text.get("frequency", brief.get("frequency"))})
    return f"{cid}/{lid}"


def join(hints: list[dict], sides: Path, out: Path, note: str | None = None) -> None:
    written: dict[str, dict] = {}
    for side in SIDES:
        doc = json.loads((sides / f"written_{side}.json").read_text(encoding="utf-8"))
        written.update({item["item"]: item for item in doc["items"]})
    networks, companies, pairs = [], [], []
    for doc in hints:
        for net in doc["networks"]:
            split = net.get("split", "holdout")
            networks.append({k: net[k] for k in ("id", "name", "country", "summary", "sources")}
                            | {"split": split})
            listings: dict[str, list[dict]] = {c["id"]: [] for c in net["companies"]}
            for flow in net["flows"]:
                keys = {}
                for side in SIDES:
                    direction, kind = _role(flow, side)
                    keys[side] = _add(listings, flow[side]["company"], written[f"{flow['id']}:{side[0]}"],
                                      direction, kind, flow[side])
                pairs.append({"offer": keys["supplier"], "need": keys["receiver"], "type": flow["pair_type"],
                              "network": net["id"], "tags": flow.get("tags", []),
                              "documented": flow.get("documented", False), "source": flow.get("source"),
                              "why": flow.get("why", ""), "split": split})
            for d in net.get("distractors", ()):
                _add(listings, d["company"], written[d["id"]], d["direction"], d["kind"], d)
            for c in net["companies"]:
                if listings[c["id"]]:
                    companies.append({k: c[k] for k in ("id", "name", "industry", "city", "municipality",
                                                        "country", "lat", "lon", "language")}
                                     | {"network": net["id"], "listings": listings[c["id"]]})
    data = {
        "format": "matchmaker/v1",
        "note": note or ("Unseen labelled set: companies of published industrial-symbiosis networks not in "
                 "the other sets nor among those kept for acceptance (sources per network; flows "
                 "marked documented=false are typical of the network's industries). Two research "
                 "helpers wrote neutral hints; two other writers, who never saw each other's words, "
                 "wrote the supplier side and the receiving side in each company's language and "
                 "style. Listings no true pair names are distractors. Every pair is held out: the "
                 "set was first measured after it was frozen and is never tuned on. Company names "
                 "are fictional; places are real."),
        "networks": networks, "companies": companies, "true_pairs": pairs,
    }
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(networks)} networks, {len(companies)} companies, "
          f"{sum(len(c['listings']) for c in companies)} listings, {len(pairs)} true pairs -> {out}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=("split", "join"))
    ap.add_argument("hints", nargs="+", type=Path)
    ap.add_argument("--sides", type=Path, help="join: the folder of written_supplier/receiver.json")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--note", type=Path, help="join: a text file with the set's note (default: unseen's)")
    args = ap.parse_args(argv)
    hints = [json.loads(p.read_text(encoding="utf-8")) for p in args.hints]
    if args.step == "split":
        split(hints, args.out)
    else:
        note = args.note.read_text(encoding="utf-8").strip() if args.note else None
        join(hints, args.sides, args.out, note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
