"""The systems compared, all given the same gazetteer and the same sentences.

Each one is a function (sentences, entities, options) -> one list per sentence of
Match(start, end, type, form): character offsets (Python string indices) in the
sentence's text, the entity's type, and the gazetteer string that produced it.
"""

import functools
import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class MatcherError(Exception):
    """A system could not run (missing binary, bad output)."""


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    type: str
    form: str


def first_per_folded_form(entities):
    """The first entity (most frequent in training) for each lower-cased string: a
    case-insensitive matcher keeps one type per form, the same one in each system."""
    kept = {}
    for entity in entities:
        kept.setdefault(entity.name.lower(), entity)
    return list(kept.values())


# --- sorot, through its command-line tool --------------------------------------------


def sorot(sentences, entities, options, case=None):
    """sorot with its default rules, or with `case` ("fold") set for the whole
    gazetteer, which turns its case rules off."""
    binary = Path(options.sorot)
    if not binary.is_file():
        raise MatcherError(
            f"sorot binary not found at {binary}: build it with "
            "'cargo build --release --bin sorot' (./build.sh eval does)"
        )
    for i, sentence in enumerate(sentences):
        if "\n" in sentence.text or "\r" in sentence.text:
            raise MatcherError(f"sentence {i + 1} contains a line break: cannot use --lines")
    gazetteer = {
        "version": 1,
        "name": "gold strings of the training split",
        "entities": [
            {"id": f"e{i}", "name": e.name, "type": e.type} for i, e in enumerate(entities, 1)
        ],
    }
    if case:
        gazetteer["case"] = case
    with tempfile.TemporaryDirectory(prefix="sorot-eval-") as tmp:
        gazetteer_path = Path(tmp) / "gazetteer.json"
        text_path = Path(tmp) / "sentences.txt"
        gazetteer_path.write_text(json.dumps(gazetteer, ensure_ascii=False), encoding="utf-8")
        text_path.write_text("".join(s.text + "\n" for s in sentences), encoding="utf-8")
        command = [str(binary), "find", "--lines", "--gazetteer", str(gazetteer_path), str(text_path)]
        run = subprocess.run(command, capture_output=True, encoding="utf-8")
    if run.returncode != 0:
        raise MatcherError(f"{' '.join(command)} failed (exit {run.returncode}):\n{run.stderr}")

    found = [[] for _ in sentences]
    # Split on "\n" only: str.splitlines() would also split inside a JSON string
    # holding U+2028 or U+0085, which JSON does not escape.
    for line in run.stdout.split("\n"):
        if not line:
            continue
        m = json.loads(line)
        index = m["line"] - 1
        text = sentences[index].text
        start, end = utf16_to_index(text, m["start"]), utf16_to_index(text, m["end"])
        if text[start:end] != m["text"]:
            raise MatcherError(
                f"sorot span {m['start']}..{m['end']} on line {m['line']} is "
                f"{text[start:end]!r} in the text but {m['text']!r} in its output"
            )
        found[index].append(Match(start, end, m["type"], m["name"]))
    return found


def utf16_to_index(text, offset):
    """The string index of a UTF-16 offset (sorot's unit, as in JavaScript)."""
    if text.isascii():
        return offset
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        if units > offset:
            break
        units += 2 if ord(char) > 0xFFFF else 1
    if units == offset:
        return len(text)
    raise MatcherError(f"UTF-16 offset {offset} is not on a character boundary in {text!r}")


# --- exact, case-sensitive, whole tokens ---------------------------------------------


def exact(sentences, entities, options):
    """Leftmost-longest over the tokens: at each token, the longest gazetteer string
    starting there (compared as written), then continue after it."""
    by_tokens = {tuple(e.name.split(" ")): e for e in entities}
    longest = max((len(key) for key in by_tokens), default=0)
    found = []
    for sentence in sentences:
        tokens, matches = sentence.tokens, []
        starts = [0]
        for token in tokens:
            starts.append(starts[-1] + len(token) + 1)
        i = 0
        while i < len(tokens):
            for n in range(min(longest, len(tokens) - i), 0, -1):
                entity = by_tokens.get(tuple(tokens[i : i + n]))
                if entity:
                    matches.append(Match(starts[i], starts[i + n] - 1, entity.type, entity.name))
                    i += n
                    break
            else:
                i += 1
        found.append(matches)
    return found


# --- flashtext (PyPI), case-insensitive ----------------------------------------------


def flashtext(sentences, entities, options):
    from flashtext import KeywordProcessor

    processor = KeywordProcessor(case_sensitive=False)
    by_name = {}
    for entity in first_per_folded_form(entities):
        processor.add_keyword(entity.name, entity.name)
        by_name[entity.name] = entity
    found = []
    for sentence in sentences:
        # Case-insensitive flashtext reports offsets in text.lower(): they are only
        # offsets of the text itself when lower() keeps its length (true of this data).
        spans = processor.extract_keywords(sentence.text, span_info=True)
        found.append([Match(start, end, by_name[name].type, name) for name, start, end in spans])
    return found


# --- spaCy PhraseMatcher (PyPI), attr="LOWER" on spacy.blank("id") -------------------


@functools.cache
def blank_indonesian():
    import spacy

    return spacy.blank("id")


def spacy_phrase(sentences, entities, options):
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Span
    from spacy.util import filter_spans

    nlp = blank_indonesian()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    kept = first_per_folded_form(entities)
    by_name = {entity.name: entity for entity in kept}
    for entity, pattern in zip(kept, nlp.tokenizer.pipe(e.name for e in kept)):
        matcher.add(entity.name, [pattern])
    found = []
    for doc in nlp.tokenizer.pipe(s.text for s in sentences):
        spans = [Span(doc, start, end, label=key) for key, start, end in matcher(doc)]
        matches = []
        for span in sorted(filter_spans(spans), key=lambda s: s.start):
            entity = by_name[span.label_]
            matches.append(Match(span.start_char, span.end_char, entity.type, entity.name))
        found.append(matches)
    return found


SYSTEMS = {
    "sorot": sorot,
    "sorot-fold": functools.partial(sorot, case="fold"),
    "exact": exact,
    "flashtext": flashtext,
    "spacy": spacy_phrase,
}

DESCRIPTIONS = {
    "sorot": "sorot's CLI, `sorot find --lines` (its default rules)",
    "sorot-fold": 'sorot with `"case": "fold"` on the gazetteer: its case rules off '
    "(everything case-insensitive), to show what they do",
    "exact": "exact case-sensitive matching of whole tokens, leftmost-longest (plain Python)",
    "flashtext": "flashtext `KeywordProcessor(case_sensitive=False)`",
    "spacy": 'spaCy `PhraseMatcher(attr="LOWER")` on `spacy.blank("id")`, '
    "overlaps resolved with `spacy.util.filter_spans`",
}
