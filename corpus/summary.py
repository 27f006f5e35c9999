#!/usr/bin/env python3
"""Tabulate the CLI's JSON reports on the deploy corpus against the manifest's judged modules.

    python3 corpus/summary.py REPORT_DIR > REPORT_DIR/summary.tsv

REPORT_DIR holds <id>.json, each the output of `node dist/cli.js <DEST>/<id>/<root> --format json`.
One row per manifest id: the production module(s) the tool chose with the reason it gave (one
"root: module [reason]" per Django project it found, joined by " | "), the module judged right in
deploy-manifest.tsv, whether one of the tool's projects chose it ("yes"; "file" when the tool chose
the same file under another dotted name, e.g. with a different project root; "no"), and the
findings by severity.
"""

import collections
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEVERITIES = ("error", "warning", "information", "hint")


def main(report_dir):
    with open(os.path.join(HERE, "deploy-manifest.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["id", "tool_module", "tool_reason", "judged_module", "match", *SEVERITIES, "projects"])
    matches = 0
    for row in rows:
        path = os.path.join(report_dir, row["id"] + ".json")
        try:
            with open(path) as f:
                report = json.load(f)
        except (OSError, ValueError) as e:
            out.writerow([row["id"], "", f"no report: {e}", row["production_settings_module"], "no"])
            continue
        chosen = []
        for project in report.get("projects", []):
            production = project.get("production") or {}
            module = production.get("module")
            reason = production.get("reason") or project.get("noProductionReason") or ""
            chosen.append((project.get("root", "?"), module, reason, production.get("file") or ""))
        judged = row["production_settings_module"]
        judged_path = judged.replace(".", "/")
        if any(module == judged for _, module, _, _ in chosen):
            match = "yes"
        elif any(f"/{file}".endswith((f"/{judged_path}.py", f"/{judged_path}/__init__.py")) for *_, file in chosen):
            match = "file"
        else:
            match = "no"
        matches += match == "yes"
        counts = collections.Counter(d.get("severity") for d in report.get("diagnostics", []))
        modules = " | ".join(f"{root}: {module or '(none)'}" for root, module, _, _ in chosen)
        reasons = " | ".join(f"{root}: {reason}" for root, _, reason, _ in chosen)
        out.writerow([row["id"], modules, reasons, judged, match,
                      *(counts.get(s, 0) for s in SEVERITIES), len(chosen)])
    print(f"# {matches} of {len(rows)} projects: the tool chose the judged production module", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
