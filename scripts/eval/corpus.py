"""The annotated data sets: reading CoNLL-style files, gold spans, gazetteers, folds.

Standard library only. Every offset here is a Python string index (a code point) in
the sentence's text, which is its tokens joined with single spaces.
"""

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


class CorpusError(Exception):
    """A data set is missing or not in the expected format."""


@dataclass(frozen=True)
class DataSet:
    name: str
    train: str  # file the gazetteer is built from
    test: str  # file the reported table is measured on
    columns: int  # fields per token line
    separator: str  # between the fields
    tags: dict  # the data set's entity labels -> PER / LOC / ORG
    credit: str  # Markdown, for docs/quality.md


DATA_SETS = [
    DataSet(
        name="idner-news-2k",
        train="train.txt",
        test="dev.txt",
        columns=3,  # TOKEN POS TAG
        separator=" ",
        tags={"PER": "PER", "LOC": "LOC", "ORG": "ORG"},
        credit=(
            "**idner-news-2k**: Siti Oryza Khairunnisa, Aizhan Imankulova and Mamoru "
            "Komachi, *Towards a Standardized Dataset on Indonesian Named Entity "
            "Recognition*, AACL-IJCNLP 2020 Student Research Workshop; a re-annotation of "
            "the data of Syaifudin & Nurwidyantoro (2016, "
            "<https://github.com/yusufsyaifudin/Indonesia-ner>). MIT License, "
            "Copyright (c) 2020 khairunnisaor."
        ),
    ),
    DataSet(
        name="nergrit",
        train="train_preprocess.txt",
        test="valid_preprocess.txt",
        columns=2,  # TOKEN<TAB>TAG
        separator="\t",
        tags={"PERSON": "PER", "PLACE": "LOC", "ORGANISATION": "ORG"},
        credit=(
            "**NERGrit**, as distributed with IndoNLU: Bryan Wilie, Karissa Vincentio, "
            "Genta Indra Winata, Samuel Cahyawijaya, Xiaohong Li, Zhi Yuan Lim, Sidik "
            "Soleman, Rahmad Mahendra, Pascale Fung, Syafri Bahar and Ayu Purwarianti, "
            "*IndoNLU: Benchmark and Resources for Evaluating Indonesian Natural Language "
            "Understanding*, AACL-IJCNLP 2020; the corpus comes from the NERGrit "
            "developers (<https://github.com/grit-id/nergrit-corpus>). Apache License 2.0, "
            "Copyright (c) 2020 The Hong Kong University of Science and Technology, "
            "Institut Teknologi Bandung, Universitas Indonesia, Universitas Multimedia "
            "Nusantara, Gojek and Prosa.ai. Used unmodified, read in place; only the "
            "tag names are mapped (PERSON, PLACE, ORGANISATION to PER, LOC, ORG)."
        ),
    ),
]


@dataclass
class Sentence:
    tokens: list
    gold: list  # [(start, end, type)] in characters of `text`
    text: str = field(init=False)
    token_starts: set = field(init=False)
    token_ends: set = field(init=False)

    def __post_init__(self):
        self.text = " ".join(self.tokens)
        self.token_starts, self.token_ends = set(), set()
        at = 0
        for token in self.tokens:
            self.token_starts.add(at)
            self.token_ends.add(at + len(token))
            at += len(token) + 1

    def cuts_token(self, start, end):
        """True when a span starts or ends inside a token ("(PDIP)" -> "PDIP" does)."""
        return start not in self.token_starts or end not in self.token_ends

    def cuts_word(self, start, end):
        """True when a span starts or ends between two letters, digits or marks
        ("Rusiana" -> "Rusia" does; "(PDIP)" -> "PDIP" does not)."""
        return _inside_word(self.text, start) or _inside_word(self.text, end)


def _inside_word(text, i):
    return 0 < i < len(text) and _word_char(text[i - 1]) and _word_char(text[i])


def _word_char(char):
    return unicodedata.category(char)[0] in "LNM"  # letters, numbers, marks


@dataclass
class Entity:
    name: str
    type: str
    count: int  # mentions in the training sentences, all labels together


def read_split(data_set, corpus_dir, file_name):
    """Sentences of one file, with their gold spans (PER / LOC / ORG)."""
    path = Path(corpus_dir) / data_set.name / file_name
    if not path.is_file():
        raise CorpusError(
            f"{data_set.name}: {path} not found. The benchmark reads the NER corpus in "
            f"place from {Path(corpus_dir).resolve()} (../shared/corpus/ner from the "
            f"repository root; another place with --corpus DIR)."
        )
    sentences, rows = [], []
    with open(path, encoding="utf-8", newline="") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if line.strip() == "":
                if rows:
                    sentences.append(_sentence(rows, data_set, path))
                rows = []
                continue
            fields = line.split(data_set.separator)
            if len(fields) != data_set.columns or fields[0] == "":
                raise CorpusError(
                    f"{path}:{number}: expected {data_set.columns} fields separated by "
                    f"{data_set.separator!r}, got {line!r}"
                )
            rows.append((fields[0], fields[-1], number))
    if rows:
        sentences.append(_sentence(rows, data_set, path))
    if not sentences:
        raise CorpusError(f"{path}: no sentences")
    return sentences


def _sentence(rows, data_set, path):
    """Decode BIO tags into token spans (an I- tag without its B- starts an entity,
    as conlleval does), then turn them into character spans of the joined text."""
    tokens = [token for token, _, _ in rows]
    spans = []  # [start token, end token (exclusive), type]
    for i, (_, tag, number) in enumerate(rows):
        if tag == "O":
            continue
        prefix, _, label = tag.partition("-")
        if prefix not in ("B", "I") or label not in data_set.tags:
            raise CorpusError(f"{path}:{number}: unknown tag {tag!r}")
        kind = data_set.tags[label]
        if prefix == "I" and spans and spans[-1][1] == i and spans[-1][2] == kind:
            spans[-1][1] = i + 1
        else:
            spans.append([i, i + 1, kind])
    starts = []
    at = 0
    for token in tokens:
        starts.append(at)
        at += len(token) + 1
    gold = [(starts[a], starts[b - 1] + len(tokens[b - 1]), kind) for a, b, kind in spans]
    return Sentence(tokens, gold)


def build_gazetteer(sentences):
    """One entity per distinct gold string; its type is the string's most frequent
    label (on a tie, the label seen first). Most frequent strings first, so that
    "gazetteer order" breaks ties between forms the same way in every system."""
    labels = {}  # string -> Counter of types, in order of first appearance
    for sentence in sentences:
        for start, end, kind in sentence.gold:
            labels.setdefault(sentence.text[start:end], Counter())[kind] += 1
    entities = [
        Entity(name, counts.most_common(1)[0][0], sum(counts.values()))
        for name, counts in labels.items()
    ]
    entities.sort(key=lambda e: (-e.count, e.name))
    return entities


def folds(sentences, k):
    """k contiguous folds (neighbouring sentences often share an article, so
    contiguous folds keep one article's names out of its own gazetteer)."""
    n = len(sentences)
    if not 2 <= k <= n:
        raise CorpusError(f"--tune needs between 2 and {n} folds, got {k}")
    bounds = [i * n // k for i in range(k + 1)]
    for i in range(k):
        held_out = sentences[bounds[i] : bounds[i + 1]]
        rest = sentences[: bounds[i]] + sentences[bounds[i + 1] :]
        yield rest, held_out
