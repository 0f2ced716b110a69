#!/usr/bin/env python3
"""Checks the provinces of data/default/LOC-indonesia.tsv against ISO 3166-2:ID.

    python3 -m venv scripts/gazetteer/.venv
    scripts/gazetteer/.venv/bin/pip install -r scripts/gazetteer/requirements.txt
    scripts/gazetteer/.venv/bin/python scripts/gazetteer/check_indonesia.py

The provinces, regencies and cities are written by hand; this maintainer script
(not part of the build) makes sure that every province of ISO 3166-2:ID (from the
pycountry package) has exactly one entity with its code in the `iso` column, that
no entity carries an unknown code, and reports where the ISO name is not one of the
entity's forms (the ISO list has its own spellings: "Jakarta Raya", and in
pycountry 26.2.16 the misspelt "Papua Pengunungan"). Exit code 1 on an error.
"""

import os
import sys

import pycountry

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TSV = os.path.join(ROOT, "data", "default", "LOC-indonesia.tsv")


def forms(row):
    out = [row["name"]] + [a for a in row.get("aliases", "").split("|") if a]
    return {f.split(" {")[0].strip().lower() for f in out}


def main():
    rows = []
    header = None
    with open(TSV, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            rows.append(dict(zip(header, cells)))
    by_code = {}
    for r in rows:
        if r.get("iso"):
            by_code.setdefault(r["iso"], []).append(r)
    iso = {
        s.code: s
        for s in pycountry.subdivisions.get(country_code="ID")
        if s.type != "Geographical unit"
    }
    errors = 0
    for code, sub in sorted(iso.items()):
        found = by_code.get(code, [])
        if len(found) != 1:
            print(f"error: {code} ({sub.name}): {len(found)} entities carry this code")
            errors += 1
        elif sub.name.lower() not in forms(found[0]):
            print(f"note: {code}: ISO name {sub.name!r} is not a form of {found[0]['id']} ({found[0]['name']})")
    for code in sorted(set(by_code) - set(iso)):
        print(f"error: {code}: not an ISO 3166-2:ID province ({by_code[code][0]['id']})")
        errors += 1
    print(f"{len(iso)} provinces in ISO 3166-2:ID (pycountry {pycountry.__version__ if hasattr(pycountry, '__version__') else ''}), "
          f"{len(by_code)} codes in {os.path.relpath(TSV, ROOT)}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
