"""Checks of the benchmark's own plumbing (run by ./build.sh test):

    python3 -B -m unittest discover -s scripts/eval     # from the repository root

They need only the standard library. The sorot test runs $SOROT_BIN, else
target/release/sorot, and is skipped when that is missing."""

import os
import tempfile
import unittest
from pathlib import Path
from types import SimpleNamespace

import corpus
import matchers
import report

REPO = Path(__file__).resolve().parents[2]
# The binary under test: $SOROT_BIN (./build.sh test sets it), else the release build.
SOROT = Path(os.environ.get("SOROT_BIN", REPO / "target" / "release" / "sorot"))
IDNER = corpus.DATA_SETS[0]


def sentences_from(text, data_set=IDNER):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / data_set.name).mkdir()
        (Path(tmp) / data_set.name / "x.txt").write_bytes(text.encode("utf-8"))
        return corpus.read_split(data_set, tmp, "x.txt")


class Reading(unittest.TestCase):
    def test_bio_and_offsets(self):
        (s,) = sentences_from(
            "Kata X O\r\nJoko X B-PER\r\nWidodo X I-PER\r\ndi X O\r\n"
            "Jakarta X I-LOC\r\nSelatan X I-LOC\r\n\r\n"
        )
        self.assertEqual(s.text, "Kata Joko Widodo di Jakarta Selatan")
        # an I- tag without its B- starts an entity, as in conlleval
        self.assertEqual(s.gold, [(5, 16, "PER"), (20, 35, "LOC")])
        self.assertFalse(s.cuts_token(5, 16))
        self.assertTrue(s.cuts_token(6, 16))

    def test_nergrit_tags(self):
        nergrit = corpus.DATA_SETS[1]
        (s,) = sentences_from("Ke\tO\nBank\tB-ORGANISATION\nDunia\tI-ORGANISATION\n", nergrit)
        self.assertEqual(s.gold, [(3, 13, "ORG")])

    def test_missing_file_says_where(self):
        with self.assertRaisesRegex(corpus.CorpusError, "nowhere/idner-news-2k/train.txt"):
            corpus.read_split(IDNER, "/nowhere", "train.txt")

    def test_gazetteer_most_frequent_label(self):
        sentences = sentences_from(
            "Bulan X B-LOC\r\n\r\nBulan X B-PER\r\n\r\nBulan X B-LOC\r\n\r\nAntara X B-ORG\r\n"
        )
        entities = corpus.build_gazetteer(sentences)
        self.assertEqual([(e.name, e.type, e.count) for e in entities],
                         [("Bulan", "LOC", 3), ("Antara", "ORG", 1)])

    def test_word_cuts(self):
        (s,) = sentences_from("(Rusiana) X O\r\nRusia-Ukraina X O\r\n")
        self.assertTrue(s.cuts_word(1, 6))  # "Rusia" in "Rusiana"
        self.assertFalse(s.cuts_word(1, 8))  # "Rusiana" in "(Rusiana)"
        self.assertTrue(s.cuts_token(1, 8))
        self.assertFalse(s.cuts_word(10, 15))  # "Rusia" in "Rusia-Ukraina"


class Offsets(unittest.TestCase):
    def test_utf16(self):
        text = "😀 Jakarta 𝐀 Bandung"
        self.assertEqual(matchers.utf16_to_index(text, 0), 0)
        self.assertEqual(matchers.utf16_to_index(text, 3), 2)
        self.assertEqual(matchers.utf16_to_index(text, 21), len(text))
        self.assertEqual(matchers.utf16_to_index(text, 14), 12)  # after "𝐀"
        with self.assertRaises(matchers.MatcherError):
            matchers.utf16_to_index(text, 1)  # inside the surrogate pair

    @unittest.skipUnless(SOROT.exists(), "needs target/release/sorot")
    def test_sorot_spans_are_string_indices(self):
        sentences = [
            corpus.Sentence(["😀", "“Jakarta”", "𝐀", "BANDUNG", "Jakarta-nya"], []),
            corpus.Sentence(["Ke", "Bandung"], []),
        ]
        entities = [corpus.Entity("Jakarta", "LOC", 2), corpus.Entity("Bandung", "LOC", 1)]
        found = matchers.sorot(sentences, entities, SimpleNamespace(sorot=SOROT))
        texts = [[(s.text[m.start:m.end], m.type) for m in ms] for s, ms in zip(sentences, found)]
        self.assertEqual(texts, [[("Jakarta", "LOC"), ("BANDUNG", "LOC"), ("Jakarta", "LOC")],
                                 [("Bandung", "LOC")]])


class Systems(unittest.TestCase):
    def test_exact_is_leftmost_longest_on_tokens(self):
        (s,) = sentences_from("Kota X O\r\nBanda X O\r\nAceh X O\r\nbanda X O\r\n")
        entities = [corpus.Entity("Banda Aceh", "LOC", 1), corpus.Entity("Aceh", "LOC", 1),
                    corpus.Entity("Banda", "LOC", 1)]
        (found,) = matchers.exact([s], entities, None)
        self.assertEqual([s.text[m.start:m.end] for m in found], ["Banda Aceh"])


class Scoring(unittest.TestCase):
    def test_exact_span_and_type(self):
        (s,) = sentences_from("Joko X B-PER\r\nWidodo X I-PER\r\ndi X O\r\nSolo X B-LOC\r\n")
        predictions = [[matchers.Match(0, 4, "PER", "Joko"), matchers.Match(15, 19, "LOC", "Solo")]]
        score = report.score([s], predictions)
        self.assertEqual((score.tp["all"], score.predicted["all"], score.gold["all"]), (1, 2, 2))
        self.assertEqual(score.prf("LOC"), (1.0, 1.0, 1.0))
        self.assertEqual(score.prf("PER"), (0.0, 0.0, 0.0))


if __name__ == "__main__":
    unittest.main()
