#!/usr/bin/env python3
"""Scan-speed benchmark: sorot's CLI, flashtext and sorot's wasm engine, one run.

    python3 bench/scan.py [--runs N] [--gazetteer FILE]   # after ./build.sh and
                                                            # cargo build --release --bin sorot

The text is every corpus page's visible text (../shared/corpus/pages, read in place
through scripts/gazetteer/page_text.py, as the browser collects it) followed by every
sentence of the NER corpora (../shared/corpus/ner), each once: real text, never a
repeated sample. It is written to target/bench/corpus.txt (ignored), not into the
repository. Its size is printed; the corpus holds about 2.3 MB of distinct text, less
than the 10 MB issue 11 asks for, and the script says so rather than repeat it.

Printed, from the same run, each the median of --runs (default 5):
- sorot CLI: `target/release/sorot find [-g GAZ] corpus.txt > /dev/null`, wall time;
  MB/s of the whole command, and of the scan alone (the time minus that of the same
  command on an empty file: loading the gazetteer), in wall time and in CPU time
  (user + system, which a busy machine inflates less);
- flashtext 2.7 (KeywordProcessor(case_sensitive=False), every name, alias and short
  form of the same gazetteer), extract_keywords(text) in-process: MB/s of the scan;
- wasm: the engine module (dist/pkg/sorot_engine.js) under Node, engine.find(text) on
  the whole text: MB/s of the scan (bench/scan-wasm.mjs).

flashtext is installed into bench/.venv (ignored) on the first run, from PyPI, at the
version pinned in scripts/eval/requirements.txt. Figures vary with the machine's load:
compare the systems within one run.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
OUT = os.path.join(ROOT, "target", "bench")
VENV = os.path.join(ROOT, "bench", ".venv")
MB = 1e6


def ensure_flashtext():
    try:
        import flashtext  # noqa: F401
        return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.executable) == os.path.abspath(py):
        sys.exit("bench/scan.py: flashtext did not install into bench/.venv")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    pin = next(
        line.strip()
        for line in open(os.path.join(ROOT, "scripts", "eval", "requirements.txt"))
        if line.startswith("flashtext==")
    )
    subprocess.run([py, "-m", "pip", "install", "-q", pin], check=True)
    os.execv(py, [py] + sys.argv)


def corpus_text():
    """The corpus's real text, each piece once, as one string."""
    sys.path.insert(0, os.path.join(ROOT, "scripts", "gazetteer"))
    from page_text import page_text

    pages_dir = os.path.join(CORPUS, "pages")
    if not os.path.isdir(pages_dir):
        sys.exit(f"bench/scan.py: the corpus is absent ({pages_dir}): nothing to measure")
    parts = []
    for folder, _, files in sorted(os.walk(pages_dir)):
        for name in sorted(files):
            if name.endswith(".html"):
                parts.append(page_text(os.path.join(folder, name)))
    pages = sum(len(p.encode()) for p in parts)
    sentences = []
    ner = os.path.join(CORPUS, "ner")
    for rel, column in [
        ("idner-news-2k/train.txt", 0),
        ("idner-news-2k/dev.txt", 0),
        ("nergrit/train_preprocess.txt", 0),
        ("nergrit/valid_preprocess.txt", 0),
    ]:
        path = os.path.join(ner, rel)
        if not os.path.exists(path):
            continue
        tokens = []
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            if not line:
                if tokens:
                    sentences.append(" ".join(tokens))
                tokens = []
                continue
            tokens.append(line.split()[column])
        if tokens:
            sentences.append(" ".join(tokens))
    text = "".join(parts) + "\n" + "\n\n".join(sentences) + "\n"
    return text, pages, len(parts), len(sentences)


def median_time(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--gazetteer", help="a gazetteer for sorot (default: dist/pkg/default.sorot)")
    args = ap.parse_args()
    ensure_flashtext()
    from flashtext import KeywordProcessor

    os.makedirs(OUT, exist_ok=True)
    text, pages_bytes, pages, sentences = corpus_text()
    path = os.path.join(OUT, "corpus.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    size = len(text.encode())
    print(f"text: {size / MB:.2f} MB ({pages} pages' visible text, {pages_bytes / MB:.2f} MB, "
          f"then {sentences} NER sentences), each once: target/bench/corpus.txt")
    if size < 10 * MB:
        print(f"  note: the corpus has {size / MB:.1f} MB of distinct text, less than the 10 MB of "
              "issue 11; it is not repeated to reach it")
    load = os.popen("cat /proc/loadavg").read().split()[:3]
    print(f"machine load average: {' '.join(load)} on {os.cpu_count()} cores")

    sorot = os.path.join(ROOT, "target", "release", "sorot")
    gaz = args.gazetteer or os.path.join(ROOT, "dist", "pkg", "default.sorot")
    empty = os.path.join(OUT, "empty.txt")
    open(empty, "w").close()

    def cli(file):
        """Wall time and CPU time (user + system, which waiting for a core on a busy
        machine does not inflate) of one `sorot find`."""
        with open(os.devnull, "w") as null:
            t = time.perf_counter()
            p = subprocess.Popen([sorot, "find", "-g", gaz, file], stdout=null)
            _, status, usage = os.wait4(p.pid, 0)
            if status != 0:
                sys.exit(f"bench/scan.py: sorot find failed ({status})")
            return time.perf_counter() - t, usage.ru_utime + usage.ru_stime

    def median_cli(file):
        runs = [cli(file) for _ in range(args.runs)]
        return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))

    (startup, startup_cpu) = median_cli(empty)
    (whole, whole_cpu) = median_cli(path)
    # The gazetteer's forms, for flashtext.
    data = json.loads(subprocess.run([sorot, "convert", "--compact", gaz],
                                     capture_output=True, check=True, text=True).stdout)
    kp = KeywordProcessor(case_sensitive=False)
    forms = 0
    for e in data["entities"]:
        for f in [e["name"]] + e.get("aliases", []) + e.get("short", []):
            kp.add_keyword(f["text"] if isinstance(f, dict) else f, e["id"])
            forms += 1
    flash = median_time(lambda: kp.extract_keywords(text, span_info=True), args.runs)
    flash_found = len(kp.extract_keywords(text, span_info=True))
    sorot_found = int(subprocess.run([sorot, "find", "-g", gaz, path], capture_output=True, check=True).stdout.count(b"\n"))

    wasm = subprocess.run(
        ["node", os.path.join(ROOT, "bench", "scan-wasm.mjs"), path, str(args.runs)],
        capture_output=True, text=True,
    )
    print(f"gazetteer: {os.path.relpath(gaz, ROOT)} ({len(data['entities'])} entities, {forms} forms)")
    print(f"{'system':<34} {'time (ms)':>10} {'MB/s':>8}  matches")
    print(f"{'sorot CLI, whole command':<34} {whole * 1000:>10.1f} {size / MB / whole:>8.1f}  {sorot_found}")
    scan = whole - startup
    if scan > 0:
        print(f"{'sorot CLI, scan (minus empty run)':<34} {scan * 1000:>10.1f} "
              f"{size / MB / scan:>8.1f}  (empty input: {startup * 1000:.1f} ms)")
    else:
        print(f"{'sorot CLI, scan (minus empty run)':<34} {'n/a':>10} {'n/a':>8}  (too noisy: empty input took longer)")
    scan_cpu = whole_cpu - startup_cpu
    print(f"{'sorot CLI, scan, CPU time':<34} {scan_cpu * 1000:>10.1f} "
          f"{size / MB / max(scan_cpu, 1e-9):>8.1f}  (empty input: {startup_cpu * 1000:.1f} ms CPU)")
    print(f"{'flashtext 2.7, scan':<34} {flash * 1000:>10.1f} {size / MB / flash:>8.1f}  {flash_found}")
    if wasm.returncode == 0:
        print(wasm.stdout.rstrip())
    else:
        print(f"wasm: failed: {wasm.stderr.strip()[-500:]}")
    print(f"sorot CLI scan (CPU time) / flashtext: {flash / max(scan_cpu, 1e-9):.1f}x; "
          f"whole command (wall) / flashtext scan: {flash / whole:.1f}x")

    # The targets of issue 11 this run measures, each with what it measured.
    cli_scan = size / MB / max(scan_cpu, 1e-9)
    wasm_mbs = None
    for line in wasm.stdout.splitlines():
        if line.startswith("wasm engine.find "):
            wasm_mbs = float(line[34:].split()[1])
    on = (f"on {size / MB:.2f} MB of distinct corpus text (the issue asks for 10 MB; the corpus has no more)"
          if size < 10 * MB else f"on {size / MB:.1f} MB")
    rows = [
        ("the CLI's scan >= 150 MB/s, default gazetteer, output to /dev/null",
         f"{cli_scan:.1f} MB/s (CPU time, scan alone; whole command {size / MB / whole:.1f} MB/s with "
         f"{startup * 1000:.0f} ms of loading)", cli_scan >= 150),
        (">= 5x flashtext on the same text", f"{flash / max(scan_cpu, 1e-9):.1f}x (scan against scan)",
         flash / max(scan_cpu, 1e-9) >= 5),
        ("wasm find >= 100 MB/s", "failed" if wasm_mbs is None else f"{wasm_mbs:.1f} MB/s (engine.find under Node)",
         None if wasm_mbs is None else wasm_mbs >= 100),
    ]
    print(f"\ntargets of issue 11 measured here ({on}):")
    for target, measured, ok in rows:
        verdict = "not measured" if ok is None else "met" if ok else "NOT met"
        print(f"  {target:<68} {measured:<70} {verdict}")


if __name__ == "__main__":
    main()
