#!/usr/bin/env python3
"""sorot as a map step on Apache Spark (local mode): batch matching of an archive.

    ./build.sh spark                  # installs pyspark into dist/spark/venv, then runs this
    python3 scripts/spark/sorot_spark.py --sorot target/release/sorot \
        --gazetteer dist/pkg/default.sorot [--partitions N] [--cores N] [DOCS_DIR]

The documents are the visible text of the shared corpus's pages (../shared/corpus/
pages, read in place with scripts/gazetteer/page_text.py, one document per page), or
the .txt files of DOCS_DIR. Spark ships the compiled gazetteer and the sorot binary
to the executors (SparkContext.addFile); each partition writes its documents to a
temporary folder and runs `sorot find --gazetteer default.sorot FILE...` once: the
library's own entry point, with the same core, normalisation and resolver as the
browser, so an archive gets the spans a reader sees. The compiled gazetteer loads
in milliseconds, so a process per partition costs little; no second implementation
(a Python binding) has to be kept identical to the CLI.

Then it runs the CLI directly on the same documents and checks that the spans are
equal, document by document. Exit code 0 when they are, 1 when not.
"""

import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "pages")


def corpus_documents():
    """(name, text) per corpus page: the text a browser would collect."""
    sys.path.insert(0, os.path.join(ROOT, "scripts", "gazetteer"))
    from page_text import page_text  # noqa: E402 (maintainer script, standard library only)

    docs = []
    for folder, _, names in sorted(os.walk(CORPUS)):
        for name in sorted(names):
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                docs.append((os.path.relpath(path, CORPUS), page_text(path)))
    return docs


def folder_documents(folder):
    docs = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                docs.append((name, f.read()))
    return docs


def run_sorot(sorot, gazetteer, docs, threads):
    """Runs the CLI once over `docs`; returns {name: [(start, end, id), ...]}."""
    with tempfile.TemporaryDirectory(prefix="sorot-spark-") as tmp:
        paths = []
        for i, (_, text) in enumerate(docs):
            path = os.path.join(tmp, f"{i}.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            paths.append(path)
        env = dict(os.environ, SOROT_THREADS=str(threads))
        out = subprocess.run(
            [sorot, "find", "--gazetteer", gazetteer, *paths],
            capture_output=True, check=True, text=True, env=env,
        ).stdout
    spans = {name: [] for name, _ in docs}
    for line in out.splitlines():
        m = json.loads(line)
        i = int(os.path.basename(m["file"])[: -len(".txt")])
        spans[docs[i][0]].append((m["start"], m["end"], m["id"]))
    return spans


def match_partition(rows):
    """The map step, on an executor: the shipped binary over this partition's documents."""
    from pyspark import SparkFiles

    sorot = SparkFiles.get("sorot")
    os.chmod(sorot, os.stat(sorot).st_mode | stat.S_IXUSR)
    gazetteer = SparkFiles.get(os.environ.get("SOROT_SPARK_GAZETTEER", "default.sorot"))
    docs = list(rows)
    if not docs:
        return
    # Spark already runs one task per core: one thread per task.
    for name, spans in run_sorot(sorot, gazetteer, docs, threads=1).items():
        for start, end, entity in spans:
            yield (name, start, end, entity)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sorot", default=os.path.join(ROOT, "target", "release", "sorot"))
    ap.add_argument("--gazetteer", default=os.path.join(ROOT, "dist", "pkg", "default.sorot"))
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--cores", type=int, default=2, help="Spark's local[N] (default 2)")
    ap.add_argument("docs", nargs="?", help="a folder of .txt documents (default: the corpus pages)")
    args = ap.parse_args()
    for path in (args.sorot, args.gazetteer):
        if not os.path.exists(path):
            sys.exit(f"sorot_spark.py: {path} is missing: run ./build.sh spark")
    if args.docs:
        docs = folder_documents(args.docs)
    elif os.path.isdir(CORPUS):
        docs = corpus_documents()
    else:
        sys.exit(f"sorot_spark.py: no documents: the corpus ({CORPUS}) is absent; give a folder of .txt files")
    size = sum(len(t.encode("utf-8")) for _, t in docs)
    print(f"{len(docs)} documents, {size / 1e6:.2f} MB of text", flush=True)

    from pyspark.sql import SparkSession

    os.environ["SOROT_SPARK_GAZETTEER"] = os.path.basename(args.gazetteer)
    started = time.perf_counter()
    spark = (
        SparkSession.builder.master(f"local[{args.cores}]")
        .appName("sorot")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executorEnv.SOROT_SPARK_GAZETTEER", os.path.basename(args.gazetteer))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    up = time.perf_counter()
    try:
        sc = spark.sparkContext
        # Shipped to every executor: the compiled gazetteer and the binary.
        sc.addFile(os.path.abspath(args.gazetteer))
        sc.addFile(os.path.abspath(args.sorot))
        rows = sc.parallelize(docs, args.partitions).mapPartitions(match_partition).collect()
    finally:
        spark.stop()
    done = time.perf_counter()
    print(f"Spark local[{args.cores}], {args.partitions} partitions: {len(rows)} matches in "
          f"{done - up:.1f} s (session start {up - started:.1f} s)", flush=True)

    spark_spans = {name: [] for name, _ in docs}
    for name, start, end, entity in rows:
        spark_spans[name].append((start, end, entity))
    for spans in spark_spans.values():
        spans.sort()
    t = time.perf_counter()
    cli_spans = run_sorot(args.sorot, args.gazetteer, docs, threads=args.cores)
    print(f"the CLI alone on the same documents: {sum(map(len, cli_spans.values()))} matches in "
          f"{time.perf_counter() - t:.1f} s", flush=True)
    differ = [name for name, _ in docs if spark_spans[name] != sorted(cli_spans[name])]
    if differ:
        print(f"MISMATCH: {len(differ)} documents differ, first: {differ[:5]}")
        return 1
    print(f"ok: the spans from Spark equal the CLI's on all {len(docs)} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
