#!/usr/bin/env python3
"""Highlights of the default gazetteer on real pages, for review by hand.

    python3 scripts/gazetteer/review.py stats DIR...
        highlights per page (median, range) for the .txt files of each DIR
    python3 scripts/gazetteer/review.py sample N SEED DIR... > sample.tsv
        a sample of N highlights spread over the pages (a fair share of each page's
        highlights, drawn with the given seed), one per line with its context:
        page, line, text, type, id, reason, context
    python3 scripts/gazetteer/review.py all DIR... > all.tsv
        every highlight with its context (for grepping)
    python3 scripts/gazetteer/review.py recheck SAMPLE.tsv DIR...
        for each row of an earlier sample, what the gazetteer highlights now at the
        same place (found by the row's context), to re-judge a sample after fixes

The .txt files are made by page_text.py. It runs target/debug/sorot (build it first
with `cargo build --bin sorot`) with the default gazetteer, one page per document.
Standard library only.
"""

import json
import os
import random
import statistics
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SOROT = os.path.join(ROOT, "target", "debug", "sorot")


def pages(dirs):
    out = []
    for d in dirs:
        for name in sorted(os.listdir(d)):
            if name.endswith(".txt"):
                out.append(os.path.join(d, name))
    return out


def highlights(path):
    """Every match of the page, with the page's text (UTF-16 offsets resolved)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    run = subprocess.run([SOROT, "find", path], capture_output=True, text=True, check=True)
    units = text.encode("utf-16-le")
    found = []
    for line in run.stdout.splitlines():
        m = json.loads(line)
        before = units[: 2 * m["start"]].decode("utf-16-le")
        after = units[2 * m["end"] :].decode("utf-16-le")
        m["context"] = (
            before[-60:].replace("\n", " ") + "[[" + m["text"] + "]]" + after[:60].replace("\n", " ")
        )
        m["pystart"] = len(before)
        m["pyend"] = len(before) + len(m["text"])
        found.append(m)
    return found


def stats(dirs):
    for d in dirs:
        counts = [(len(highlights(p)), os.path.basename(p)) for p in pages([d])]
        n = [c for c, _ in counts]
        print(
            f"{d}: {len(n)} pages, {sum(n)} highlights; per page median {statistics.median(n)}, "
            f"range {min(n)}-{max(n)}"
        )
        for c, name in counts:
            print(f"  {c:5d}  {name}")


def rows(found, page):
    for m in found:
        yield "\t".join(
            [page, str(m["line"]), m["text"], m["type"], m["id"], m["reason"], m["context"]]
        )


def sample(n, seed, dirs):
    rng = random.Random(seed)
    per_page = {p: highlights(p) for p in pages(dirs)}
    total = sum(len(v) for v in per_page.values())
    chosen = []
    # A share of n proportional to the square root of each page's count, at least
    # one per page that has highlights: spread over pages, not drawn from one.
    weights = {p: len(v) ** 0.5 for p, v in per_page.items() if v}
    wsum = sum(weights.values())
    for p, w in weights.items():
        k = min(len(per_page[p]), max(1, round(n * w / wsum)))
        picked = sorted(rng.sample(range(len(per_page[p])), k))
        chosen.extend((os.path.basename(p), per_page[p][i]) for i in picked)
    print(f"# {len(chosen)} of {total} highlights on {len(per_page)} pages, seed {seed}")
    print("page\tline\ttext\ttype\tid\treason\tcontext")
    for page, m in chosen:
        for r in rows([m], page):
            print(r)


def recheck(sample_path, dirs):
    by_name = {os.path.basename(p): p for p in pages(dirs)}
    cache = {}
    print("n\tpage\twas\twas_id\tnow\tnow_id\tnow_type")
    n = 0
    col = None
    for line in open(sample_path, encoding="utf-8"):
        if line.startswith("#"):
            continue
        cells = line.rstrip("\n").split("\t")
        if col is None:
            # The header names the columns (a sample, or docs/gazetteer-review.tsv).
            col = {name: i for i, name in enumerate(cells)}
            continue
        page, text, ident = cells[col["page"]], cells[col["text"]], cells[col["id"]]
        context = cells[col["context"]]
        n += 1
        path = by_name[page]
        if path not in cache:
            with open(path, encoding="utf-8") as f:
                cache[path] = (f.read().replace("\n", " "), highlights(path))
        flat, found = cache[path]
        before, rest = context.split("[[", 1)
        inner, after = rest.split("]]", 1)
        at = flat.find(before + inner + after)
        if at < 0:
            print(f"{n}\t{page}\t{text}\t{ident}\t?\t?\t?")
            continue
        start, end = at + len(before), at + len(before) + len(inner)
        now = [m for m in found if m["pystart"] < end and m["pyend"] > start]
        if not now:
            print(f"{n}\t{page}\t{text}\t{ident}\t-\t-\t-")
        for m in now:
            print(f"{n}\t{page}\t{text}\t{ident}\t{m['text']}\t{m['id']}\t{m['type']}")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    if argv[1] == "stats":
        stats(argv[2:])
    elif argv[1] == "sample":
        sample(int(argv[2]), int(argv[3]), argv[4:])
    elif argv[1] == "recheck":
        recheck(argv[2], argv[3:])
    elif argv[1] == "all":
        for p in pages(argv[2:]):
            for r in rows(highlights(p), os.path.basename(p)):
                print(r)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
