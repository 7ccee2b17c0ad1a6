"""`matchmaker learn`: refits on the tuning part, reports the held-out part, writes on request."""

import json

from sqlmodel import select

from matchmaker.matching import MatchSettings
from matchmaker.models import Listing, Suggestion
from matchmaker.services.learning import decided_pairs


def _company(cid, name, lat, lon, listings):
    return {"id": cid, "name": name, "lat": lat, "lon": lon,
            "listings": [{"id": f"l{i}", "direction": d, "kind": k, "title": t}
                         for i, (d, k, t) in enumerate(listings, start=1)]}


def _tiny_set(tmp_path):
    """Two sawmills, a pellet plant, a farm and a heating plant; one pair held out."""
    doc = {"format": "matchmaker/v1", "companies": [
        _company("saw", "Sag AS", 60.19, 12.00, [("offer", "by-product", "Sagflis fra gran"),
                                                 ("offer", "by-product", "Granbark")]),
        _company("saw2", "Høvleri AS", 60.25, 11.68, [("offer", "by-product", "Kutterflis, tørr")]),
        _company("pel", "Pellets AS", 60.21, 11.99, [("need", "material", "Sagflis til pellets")]),
        _company("farm", "Gård", 60.40, 12.05, [("need", "material", "Strø til fjøset")]),
        _company("heat", "Varme AS", 60.30, 11.90, [("need", "material", "Bark og flis til fyring")]),
    ], "true_pairs": [
        {"offer": "saw/l1", "need": "pel/l1", "type": "supply", "split": "tuning"},
        {"offer": "saw2/l1", "need": "farm/l1", "type": "supply", "split": "tuning"},
        {"offer": "saw/l2", "need": "heat/l1", "type": "supply", "split": "holdout"},
    ]}
    (tmp_path / "match_eval.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_learn_prints_both_parts_and_writes_only_when_asked(runner, tmp_path):
    data = _tiny_set(tmp_path)
    result = runner.invoke(args=["learn", "--data-dir", str(data), "--no-decisions"])
    assert result.exit_code == 0, result.output
    assert "regional   tuning   learned" in result.output and "regional   holdout  learned" in result.output
    assert "nothing written" in result.output
    out = tmp_path / "learned.json"
    result = runner.invoke(args=["learn", "--data-dir", str(data), "--no-decisions", "--write", str(out),
                                 "--version", "test-1"])
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["version"] == "test-1" and written["fit"]["lookups"] > 0
    learned = MatchSettings.load(out)  # the file is a valid settings file (the fit block aside)
    assert abs(learned.weights.total() - 1.0) < 1e-3


def test_a_set_held_out_whole_is_measured_not_fitted(runner, tmp_path):
    """The unseen set has no tuning part: learn fits on the others and reports it beside them,
    with the same choice as without it."""
    data = _tiny_set(tmp_path)
    alone = runner.invoke(args=["learn", "--data-dir", str(data), "--no-decisions"])
    doc = {"format": "matchmaker/v1", "companies": [
        _company("mill", "Mølle AS", 60.20, 12.01, [("offer", "by-product", "Kornavrens")]),
        _company("fish", "Fiskefôr AS", 60.22, 12.03, [("need", "material", "Råstoff til fôrproduksjon")]),
    ], "true_pairs": [{"offer": "mill/l1", "need": "fish/l1", "type": "supply", "split": "holdout"}]}
    (data / "unseen_eval.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    both = runner.invoke(args=["learn", "--data-dir", str(data), "--no-decisions"])
    assert both.exit_code == 0, both.output
    assert "unseen     holdout  learned" in both.output and "unseen     tuning" not in both.output
    chosen = [line for line in alone.output.splitlines() if line.startswith(("min_score", "weights"))]
    assert chosen and all(line in both.output for line in chosen)


def test_learn_without_labelled_sets_fails_clearly(runner, tmp_path):
    result = runner.invoke(args=["learn", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "no labelled sets" in result.output


def test_settings_files_refuse_unknown_keys(tmp_path):
    bad = tmp_path / "s.json"
    bad.write_text(json.dumps({"weights": {"txet": 1.0}}), encoding="utf-8")
    try:
        MatchSettings.load(bad)
    except ValueError as exc:
        assert "txet" in str(exc)
    else:
        raise AssertionError("a misspelt weight was accepted")


def test_decisions_are_read_as_right_or_wrong(session, two_companies):
    from matchmaker.models import Listing as L

    a, b = two_companies
    offer = L(company_id=a, direction="offer", kind="by-product", title="Sagflis")
    need = L(company_id=b, direction="need", kind="material", title="Sagflis")
    other = L(company_id=b, direction="need", kind="material", title="Flis")
    session.add_all([offer, need, other])
    session.flush()
    for target, status in ((need, "introduced"), (other, "rejected")):
        session.add(Suggestion(offer_listing_id=offer.id, need_listing_id=target.id, offer_company_id=a,
                               need_company_id=b, pair_type="supply", score=0.5, settings_version="t",
                               status=status))
    session.commit()
    assert sorted(decided_pairs(session)) == sorted([(offer.id, need.id, True), (offer.id, other.id, False)])
    assert session.exec(select(Listing)).first() is not None


def test_learn_levels_searches_the_level_values_and_says_what_it_chose(runner, tmp_path):
    data = _tiny_set(tmp_path)
    out = tmp_path / "levels.json"
    result = runner.invoke(args=["learn", "--data-dir", str(data), "--no-decisions", "--levels",
                                 "--write", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("levels (") and "tried, tuning MRR" in result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["fit"]["levels"]["tried"] > 0
    learned = MatchSettings.load(out)
    for name, (before, after) in written["fit"]["levels"]["changed"].items():
        assert getattr(learned, name) == after != before
