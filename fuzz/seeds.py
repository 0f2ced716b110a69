#!/usr/bin/env python3
"""Writes the seed inputs of the reader fuzz targets (json, jsonl, tsv, csv) into
fuzz/corpus/TARGET/, from the tests' cases: every string literal of tests/*.rs that
looks like a gazetteer, the gazetteers of tests/fixtures/, parts of data/default/, and
a few long forms (the form-length limit is about 1,000 characters). Each seed is
also written in the other formats it converts to (a TSV case as CSV, a JSON one as
JSON Lines). A seed is named by its SHA-1, as libFuzzer names its own, and written
only when missing: run it again after adding tests. Prints how many seeds each
target has.

Usage: python3 fuzz/seeds.py [MAX_BYTES]  (seeds longer than MAX_BYTES, default
16384, are left out: libFuzzer would cut them)
"""

import csv
import glob
import hashlib
import io
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = ("json", "jsonl", "tsv", "csv")


def rust_literals(source):
    """The string literals of Rust source: "...", r"...", r#"..."# (escapes decoded)."""
    out = []
    i = 0
    n = len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            j = source.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "'":
            # A char literal ('"', '\'') or a lifetime: skip it so that its quote
            # does not open a string.
            m = re.match(r"'(\\.|[^\\'])'|'[A-Za-z_]\w*", source[i:])
            i += len(m.group(0)) if m else 1
            continue
        m = re.match(r'(b?)r(#*)"', source[i:])
        if m and (i == 0 or not (source[i - 1].isalnum() or source[i - 1] == "_")):
            close = '"' + m.group(2)
            start = i + len(m.group(0))
            end = source.find(close, start)
            if end < 0:
                break
            out.append(source[start:end])
            i = end + len(close)
            continue
        if c == '"':
            j = i + 1
            buf = []
            while j < n and source[j] != '"':
                if source[j] == "\\":
                    e = source[j + 1]
                    if e == "\n":
                        j += 2
                        while j < n and source[j] in " \t\n":
                            j += 1
                        continue
                    if e == "u":
                        k = source.index("}", j)
                        buf.append(chr(int(source[j + 3:k], 16)))
                        j = k + 1
                        continue
                    if e == "x":
                        buf.append(chr(int(source[j + 2:j + 4], 16)))
                        j += 4
                        continue
                    buf.append({"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(e, e))
                    j += 2
                    continue
                buf.append(source[j])
                j += 1
            out.append("".join(buf))
            i = j + 1
            continue
        i += 1
    return out


def as_json_lines(value):
    """A JSON gazetteer as JSON Lines: its header (when it has more than entities),
    then one entity a line."""
    if not isinstance(value, dict) or not isinstance(value.get("entities"), list):
        return None
    header = {k: v for k, v in value.items() if k != "entities"}
    lines = [json.dumps(header, ensure_ascii=False)] if header else []
    lines += [json.dumps(e, ensure_ascii=False) for e in value["entities"]]
    return "\n".join(lines) + "\n"


def tsv_as_csv(text):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    for line in text.split("\n"):
        if line.startswith("#"):
            out.write(line + "\n")
        elif line:
            w.writerow(line.split("\t"))
    return out.getvalue()


def csv_as_tsv(text):
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return None
    if any("\t" in cell or "\n" in cell for row in rows for cell in row):
        return None
    return "".join("\t".join(row) + "\n" for row in rows)


def classify(text, seeds):
    """Adds `text` to the corpora of the formats it looks like, and its conversions."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        return
    if stripped[0] in "{[":
        try:
            value = json.loads(stripped)
        except ValueError:
            value = None
        lines = [l for l in stripped.split("\n") if l.strip()]
        if value is None and len(lines) > 1:
            seeds["jsonl"].add(text)
            return
        if isinstance(value, dict) and isinstance(value.get("gazetteer"), dict):
            value = value["gazetteer"]
            text = json.dumps(value, ensure_ascii=False, indent=1)
        seeds["json"].add(text)
        if isinstance(value, dict) and "id" in value and "entities" not in value:
            seeds["jsonl"].add(text)
        converted = as_json_lines(value)
        if converted:
            seeds["jsonl"].add(converted)
        return
    if "\n" not in stripped and "\t" not in stripped:
        return
    if "id" not in stripped:
        return
    header = next((l for l in stripped.split("\n") if l.strip() and not l.startswith("#")), "")
    if "\t" in header or "," not in header:
        seeds["tsv"].add(text)
        seeds["csv"].add(tsv_as_csv(text))
    else:
        seeds["csv"].add(text)
        converted = csv_as_tsv(text)
        if converted:
            seeds["tsv"].add(converted)


def default_parts(path, lines_per_part=4, parts=3):
    """Parts of a TSV file of data/default: its header and some lines from its start,
    middle and end."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    head = [l for l in lines if l.startswith("#")][:2]
    body = [l for l in lines if l and not l.startswith("#")]
    if not body:
        return []
    header, rows = body[0], body[1:]
    out = []
    for k in range(parts):
        at = max(0, (len(rows) - lines_per_part) * k // max(1, parts - 1))
        out.append("\n".join(head + [header] + rows[at:at + lines_per_part]) + "\n")
    return out


def long_forms():
    """Gazetteers with long, periodic forms around the form-length limit."""
    out = []
    for n in (999, 1000, 1001, 1500):
        periodic = ("ab" * n)[:n]
        words = ("Jakarta " * n)[:n].strip()
        out.append('{"entities": [{"id": "a", "name": "%s", "type": "LOC"},'
                   ' {"id": "b", "name": "Jakarta", "type": "LOC", "aliases": ["%s"]}]}'
                   % (periodic, words))
        out.append("id\ttype\tname\taliases\na\tLOC\t%s\t%s|AS\n" % ("A" * n, words))
    return out


def main():
    max_bytes = int(sys.argv[1]) if len(sys.argv) > 1 else 16384
    seeds = {t: set() for t in TARGETS}
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "*.rs"))):
        with open(path, encoding="utf-8") as f:
            for literal in rust_literals(f.read()):
                classify(literal, seeds)
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "*.json"))):
        with open(path, encoding="utf-8") as f:
            classify(f.read(), seeds)
    with open(os.path.join(ROOT, "data", "default", "meta.json"), encoding="utf-8") as f:
        classify(f.read(), seeds)
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "default", "*.tsv"))):
        if os.path.basename(path) == "reviewed.tsv":
            continue
        for part in default_parts(path):
            classify(part, seeds)
    for text in long_forms():
        classify(text, seeds)
    for target in TARGETS:
        folder = os.path.join(ROOT, "fuzz", "corpus", target)
        os.makedirs(folder, exist_ok=True)
        written = 0
        for text in seeds[target]:
            # A lone surrogate (from a JSON escape) as its 3 bytes: invalid UTF-8.
            data = text.encode("utf-8", "surrogatepass")
            if not data or len(data) > max_bytes:
                continue
            name = os.path.join(folder, hashlib.sha1(data).hexdigest())
            if not os.path.exists(name):
                with open(name, "wb") as f:
                    f.write(data)
                written += 1
        total = len(os.listdir(folder))
        print(f"fuzz/corpus/{target}/: {written} seeds written, {total} inputs")


if __name__ == "__main__":
    main()
