#!/usr/bin/env python3
"""sorot's quality benchmark: sorot side by side with common gazetteer matchers.

For each annotated data set under ../shared/corpus/ner (relative to the repository
root), one gazetteer is built from the gold entity strings of the training split;
every system then matches the same gazetteer on the same sentences (tokens joined
with single spaces) and is scored on exact span and type.

    python3 scripts/eval/quality.py                  # the table on the dev/valid splits
    python3 scripts/eval/quality.py --markdown       # ... and write docs/quality.md
    python3 scripts/eval/quality.py --tune 5         # 5 folds of the training split only
    python3 scripts/eval/quality.py --tune 5 --errors sorot --limit 40

The first run creates .venv/ and installs requirements.txt into it (flashtext,
spaCy); later runs skip that. sorot runs as its release CLI (target/release/sorot):
./build.sh eval builds it first and passes its arguments on to this script.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the repository
import corpus  # noqa: E402 (these three use the standard library only; the rest comes from .venv)
import matchers  # noqa: E402
import report  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VENV = REPO / ".venv"
REQUIREMENTS = HERE / "requirements.txt"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "ner"
DEFAULT_SOROT = REPO / "target" / "release" / "sorot"
MARKDOWN = REPO / "docs" / "quality.md"
COMMAND = "./build.sh eval --markdown"
PLACEHOLDER_HEADING = "## Where sorot wins or loses"


def say(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


# --- the virtual environment ---------------------------------------------------------


def ensure_venv():
    """Run inside .venv/ with requirements.txt installed: create the environment and
    re-execute this script with its Python when needed; install only what is missing."""
    if sys.version_info < (3, 11):
        sys.exit(f"quality.py needs Python 3.11 or later, this is {sys.version.split()[0]}")
    if Path(sys.prefix).resolve() != VENV.resolve():
        python = VENV / "bin" / "python"
        if not python.exists():
            say(f"creating the virtual environment {VENV}")
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        os.execv(python, [str(python), __file__, *sys.argv[1:]])
    missing = unsatisfied(REQUIREMENTS)
    if missing:
        say(f"installing {len(missing)} pinned packages into .venv ({', '.join(missing[:4])}, ...)")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-r", str(REQUIREMENTS)],
            check=True,
        )


def unsatisfied(requirements):
    """The `name==version` lines of a requirements file not installed as pinned."""
    from importlib import metadata

    missing = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        name, _, version = line.partition("==")
        try:
            if metadata.version(name) != version:
                missing.append(line)
        except metadata.PackageNotFoundError:
            missing.append(line)
    return missing


# --- running the systems -------------------------------------------------------------


def evaluate(systems, train, test, options, timings):
    """Every system on `test` with the gazetteer of `train`: {system: (Score, predictions)}."""

    entities = corpus.build_gazetteer(train)
    out = {}
    for name in systems:
        began = time.perf_counter()
        predictions = matchers.SYSTEMS[name](test, entities, options)
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - began
        out[name] = (report.score(test, predictions), predictions)
    return entities, out


def run_data_set(data_set, options, timings):
    """The Result for one data set (the reported split, or the folds with --tune),
    and the error listing of --errors."""

    train = corpus.read_split(data_set, options.corpus, data_set.train)
    if options.tune:
        evaluations = list(corpus.folds(train, options.tune))
        where = (f"{options.tune} folds of {data_set.train}: each fold evaluated with the "
                 "gazetteer of the other folds ({}), scores averaged over the folds")
    else:
        test = corpus.read_split(data_set, options.corpus, data_set.test)
        evaluations = [(train, test)]
        where = f"gazetteer: {{}} from {data_set.train}; evaluated on {data_set.test}"

    scores = {name: [] for name in options.systems}
    found_errors = []
    entity_counts, sentence_count, ceiling = [], 0, [0, 0, 0]
    for fold_train, fold_test in evaluations:
        entities, results = evaluate(options.systems, fold_train, fold_test, options, timings)
        entity_counts.append(len(entities))
        sentence_count += len(fold_test)
        names = {e.name for e in entities}
        folded = {e.name.lower() for e in entities}
        for sentence in fold_test:
            for start, end, _ in sentence.gold:
                text = sentence.text[start:end]
                ceiling[0] += 1
                ceiling[1] += text in names
                ceiling[2] += text.lower() in folded
        for name, (score, predictions) in results.items():
            scores[name].append(score)
        if options.errors:
            found_errors += report.errors(fold_test, results[options.errors][1], entities)

    gazetteer = (f"{entity_counts[0]} strings" if len(entity_counts) == 1 else
                 f"{min(entity_counts)}-{max(entity_counts)} strings")
    notes = [
        where.format(gazetteer),
        f"{sentence_count} sentences, {ceiling[0]} gold entities, "
        f"{100 * ceiling[1] / ceiling[0]:.1f}% of which have their exact string in the "
        f"gazetteer ({100 * ceiling[2] / ceiling[0]:.1f}% ignoring case), which bounds recall",
    ]
    result = report.Result(data_set.name, notes, scores)
    listing = None
    if options.errors:
        listing = report.error_listing(
            f"{options.errors} on {data_set.name} ({'folds of ' + data_set.train if options.tune else data_set.test})",
            found_errors, options.limit)
    return result, listing


# --- docs/quality.md -----------------------------------------------------------------


def write_markdown(results, options):
    from importlib import metadata

    names = {"sorot": "sorot", "sorot-fold": "sorot, no case rules", "exact": "exact",
             "flashtext": "flashtext", "spacy": "spaCy"}
    versions = {
        "flashtext": f"flashtext {metadata.version('flashtext')}",
        "spacy": f"spaCy {metadata.version('spacy')}",
    }
    commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip()
    keep = kept_section(MARKDOWN)
    data_sets = {d.name: d for d in corpus.DATA_SETS}

    out = [
        "# Quality: sorot side by side with common gazetteer matchers",
        "",
        "For each annotated Indonesian news data set, one gazetteer is built from the gold "
        "entity strings of its training split (one entity per distinct string, typed with "
        "the string's most frequent label). Each sentence's tokens are joined with single "
        "spaces, and every system matches the same gazetteer on the same text of the "
        "held-out split. A prediction counts when its span and its type are exactly those "
        "of a gold entity; P, R and F1 are micro-averaged percentages.",
        "",
        "Systems:",
        "",
    ]
    for system in options.systems:
        version = f" ({versions[system]})" if system in versions else ""
        out.append(f"- **{names[system]}**: {matchers.DESCRIPTIONS[system]}{version}")
    out += [
        "",
        "Case-insensitive peers keep one entity per lower-cased string (the most frequent "
        "in training); sorot resolves strings that it normalises alike with its own rules. "
        "With a gazetteer made of training strings, recall is capped by how many held-out "
        "entities occur in training (the percentages under each table).",
        "",
        "Reproduce (from the repository root; the first run creates `.venv/` and installs "
        "`scripts/eval/requirements.txt`):",
        "",
        "```sh",
        COMMAND,
        "```",
        "",
        f"Measured at commit `{commit or 'unknown'}`.",
        "",
    ]
    for result in results:
        d = data_sets[result.data_set]
        out += [f"## {d.name}: {d.test}", ""]
        out.append(" ".join(f"{note[0].upper()}{note[1:]}." for note in result.notes))
        out += ["", report.markdown_table(result, names), ""]
    out += [keep or (
        f"{PLACEHOLDER_HEADING}\n\n"
        "_To be written: where sorot wins or loses against its peers, and why._"
    ), ""]
    out += [
        "## Tuning without the reported split",
        "",
        "Rules are tuned on folds of the training split, never on the split reported "
        "above:",
        "",
        "```sh",
        "python3 scripts/eval/quality.py --tune 5                          # the same tables, averaged over 5 folds",
        "python3 scripts/eval/quality.py --tune 5 --errors sorot --limit 40   # its false positives and negatives",
        "```",
        "",
        "## Data sets and credits",
        "",
        "The data sets are read in place from `../shared/corpus/ner/` and are not part of "
        "this repository.",
        "",
    ]
    out += [f"- {d.credit}" for d in corpus.DATA_SETS if d.name in {r.data_set for r in results}]
    MARKDOWN.parent.mkdir(exist_ok=True)
    MARKDOWN.write_text("\n".join(out) + "\n", encoding="utf-8")
    say(f"wrote {MARKDOWN.relative_to(REPO)}")


def kept_section(path):
    """The "Where sorot wins or loses" section of an existing docs/quality.md, so that
    regenerating the tables keeps what was written there."""
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(PLACEHOLDER_HEADING)}\n.*?(?=^## |\Z)", text, re.M | re.S)
    return match.group(0).rstrip() if match else None


# --- command line --------------------------------------------------------------------


def parse_args():

    parser = argparse.ArgumentParser(
        description="sorot's quality benchmark (see docs/quality.md)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--markdown", action="store_true",
                        help=f"also write {MARKDOWN.relative_to(REPO)} (not with --tune)")
    parser.add_argument("--tune", type=int, metavar="K",
                        help="evaluate on K folds of the training split instead of the dev/valid split")
    parser.add_argument("--errors", choices=list(matchers.SYSTEMS), metavar="SYSTEM",
                        help="list the false positives and negatives of SYSTEM "
                        f"({', '.join(matchers.SYSTEMS)})")
    parser.add_argument("--limit", type=int, default=40,
                        help="with --errors: at most this many groups of each side (default 40)")
    parser.add_argument("--systems", default=",".join(matchers.SYSTEMS),
                        help="comma-separated systems to run (default: all)")
    parser.add_argument("--data-sets", default=",".join(d.name for d in corpus.DATA_SETS),
                        help="comma-separated data sets (default: all)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the NER corpus directory (default: ../shared/corpus/ner)")
    parser.add_argument("--sorot", type=Path, default=DEFAULT_SOROT,
                        help="the sorot binary (default: target/release/sorot)")
    options = parser.parse_args()

    options.systems = [s for s in options.systems.split(",") if s]
    for s in options.systems:
        if s not in matchers.SYSTEMS:
            parser.error(f"unknown system {s!r} (known: {', '.join(matchers.SYSTEMS)})")
    if options.errors and options.errors not in options.systems:
        options.systems.append(options.errors)
    known = {d.name: d for d in corpus.DATA_SETS}
    options.data_sets = [s for s in options.data_sets.split(",") if s]
    for s in options.data_sets:
        if s not in known:
            parser.error(f"unknown data set {s!r} (known: {', '.join(known)})")
    options.data_sets = [known[s] for s in options.data_sets]
    if options.markdown and options.tune:
        parser.error("--markdown writes the reported tables: use it without --tune")
    if options.markdown and (options.systems != list(matchers.SYSTEMS)
                             or len(options.data_sets) != len(known)):
        parser.error("--markdown needs every system and data set")
    return options


def main():
    options = parse_args()
    if not options.corpus.is_dir():
        sys.exit(f"quality.py: the NER corpus is missing: looked in {options.corpus.resolve()} "
                 "(expected ../shared/corpus/ner next to the repository; another place with --corpus DIR)")
    ensure_venv()
    if options.errors and not options.tune:
        say("note: --errors without --tune lists errors on the reported split; tune on folds (--tune K)")

    began = time.perf_counter()
    timings, results = {}, []
    try:
        for data_set in options.data_sets:
            result, listing = run_data_set(data_set, options, timings)
            results.append(result)
            print(report.text_table(result), end="\n\n", flush=True)
            if listing:
                print(listing, end="\n\n", flush=True)
    except (corpus.CorpusError, matchers.MatcherError) as error:
        sys.exit(f"quality.py: {error}")
    spent = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in timings.items())
    say(f"done in {time.perf_counter() - began:.1f}s (matching: {spent})")
    if options.markdown:
        write_markdown(results, options)


if __name__ == "__main__":
    main()
