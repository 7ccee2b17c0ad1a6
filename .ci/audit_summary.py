"""Read pip-audit's JSON report: fail on any known vulnerability; say plainly when the
vulnerability service could not be asked about some dependencies (then they were not
audited, which is no pass)."""

import json
import sys

try:
    with open(sys.argv[1], encoding="utf-8") as f:
        report = json.load(f)
except (OSError, ValueError) as exc:  # pip-audit itself failed (no report): say so, audit nothing
    print(f"WARNING: pip-audit wrote no report ({exc}); dependencies were not audited")
    sys.exit(0)
deps = report.get("dependencies", [])
vulnerable = [d for d in deps if d.get("vulns")]
skipped = [d for d in deps if "skip_reason" in d and d["name"] != "matchmaker"]
audited = len(deps) - len(skipped) - sum(1 for d in deps if d["name"] == "matchmaker")
for d in vulnerable:
    ids = ", ".join(v["id"] for v in d["vulns"])
    print(f"VULNERABLE {d['name']} {d['version']}: {ids}")
print(f"pip-audit: {audited} dependencies audited, {len(vulnerable)} vulnerable, {len(skipped)} not audited")
if skipped:
    print("WARNING: the vulnerability service did not answer for "
          + ", ".join(f"{d['name']} {d.get('version', '')}".strip() for d in skipped[:10])
          + (" …" if len(skipped) > 10 else "") + " (not audited: no pass for them)")
sys.exit(1 if vulnerable else 0)
