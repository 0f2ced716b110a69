"""Scores (exact span and type), the tables, and the error listing."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

TYPES = ["PER", "LOC", "ORG"]
ALL = "all"


@dataclass
class Score:
    """Counts for one system on one evaluation (a split, or one fold)."""

    tp: Counter = field(default_factory=Counter)  # per type, and ALL
    predicted: Counter = field(default_factory=Counter)
    gold: Counter = field(default_factory=Counter)
    token_cuts: int = 0  # predicted spans that start or end inside a token
    word_cuts: int = 0  # ... inside a word (between letters, digits or marks)
    # The same counts (all types) with punctuation at the edges of every span, gold
    # and predicted, ignored: "(Nigeria)" and "Nigeria" are then the same span.
    edge_tp: int = 0
    edge_predicted: int = 0
    edge_gold: int = 0

    def edge_f1(self):
        precision = self.edge_tp / self.edge_predicted if self.edge_predicted else 0.0
        recall = self.edge_tp / self.edge_gold if self.edge_gold else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def prf(self, kind):
        tp, p, g = self.tp[kind], self.predicted[kind], self.gold[kind]
        precision = tp / p if p else 0.0
        recall = tp / g if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def trim_edges(text, start, end, kind):
    """The span without the punctuation and spaces at its edges."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end, kind


def score(sentences, predictions):
    s = Score()
    for sentence, matches in zip(sentences, predictions):
        gold = set(sentence.gold)
        predicted = {(m.start, m.end, m.type) for m in matches}
        edge_gold = {trim_edges(sentence.text, *g) for g in gold}
        edge_predicted = {trim_edges(sentence.text, *p) for p in predicted}
        s.edge_gold += len(edge_gold)
        s.edge_predicted += len(edge_predicted)
        s.edge_tp += len(edge_gold & edge_predicted)
        for start, end, kind in gold:
            s.gold[kind] += 1
            s.gold[ALL] += 1
        for start, end, kind in predicted:
            s.predicted[kind] += 1
            s.predicted[ALL] += 1
            if (start, end, kind) in gold:
                s.tp[kind] += 1
                s.tp[ALL] += 1
            s.token_cuts += sentence.cuts_token(start, end)
            s.word_cuts += sentence.cuts_word(start, end)
    return s


@dataclass
class Result:
    """What one table shows: a data set's evaluation, for every system."""

    data_set: str
    notes: list
    scores: dict  # system -> [Score], one per fold (one in all for the reported split)

    def types(self):
        seen = set()
        for scores in self.scores.values():
            for s in scores:
                seen.update(k for k in s.gold if k != ALL)
                seen.update(k for k in s.predicted if k != ALL)
        return [t for t in TYPES if t in seen] + sorted(seen - set(TYPES))

    def prf(self, system, kind):
        """Precision, recall, F1 as percentages, averaged over the folds."""
        folds = [s.prf(kind) for s in self.scores[system]]
        return [100 * sum(values) / len(folds) for values in zip(*folds)]

    def total(self, system, what, kind=ALL):
        return sum(getattr(s, what)[kind] for s in self.scores[system])

    def cuts(self, system, what="token_cuts"):
        return sum(getattr(s, what) for s in self.scores[system])

    def edge_f1(self, system):
        """F1 (all types, percent, averaged over folds) with edge punctuation ignored."""
        folds = [s.edge_f1() for s in self.scores[system]]
        return 100 * sum(folds) / len(folds)


def text_table(result):
    systems = list(result.scores)
    width = 20
    lines = [result.data_set] + [f"  {note}" for note in result.notes] + [""]
    lines.append(" " * 12 + "".join(f"{name:<{width}}" for name in systems))
    lines.append(f"{'type':<5}{'gold':>6} " + f"{'P':>5} {'R':>5} {'F1':>5}   " * len(systems))
    for kind in result.types() + [ALL]:
        row = f"{kind:<5}{result.total(systems[0], 'gold', kind):>6} "
        for system in systems:
            row += "".join(f"{value:5.1f} " for value in result.prf(system, kind)) + "  "
        lines.append(row.rstrip())
    lines.append(
        f"{'predicted':<12}" + "".join(f"{result.total(s, 'predicted'):<{width}}" for s in systems)
    )
    lines.append(f"{'F1 no edges':<12}" + "".join(f"{result.edge_f1(s):<{width}.1f}" for s in systems))
    lines.append(f"{'cut a token':<12}" + "".join(f"{result.cuts(s):<{width}}" for s in systems))
    lines.append(
        f"{'cut a word':<12}" + "".join(f"{result.cuts(s, 'word_cuts'):<{width}}" for s in systems)
    )
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(result, names):
    systems = list(result.scores)
    header = ["Type", "Gold"]
    for system in systems:
        header += [f"{names.get(system, system)} P", "R", "F1"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * 2 + "--:|" * 3 * len(systems)]
    for kind in result.types() + [ALL]:
        label = "**all**" if kind == ALL else kind
        cells = [label, str(result.total(systems[0], "gold", kind))]
        for system in systems:
            values = [f"{value:.1f}" for value in result.prf(system, kind)]
            if kind == ALL:
                values = [f"**{v}**" for v in values]
            cells += values
        lines.append("| " + " | ".join(cells) + " |")
    rows = [
        ("Spans predicted", lambda s: result.total(s, "predicted")),
        ("F1 (all types) with punctuation at span edges ignored, in gold and predictions alike",
         lambda s: f"{result.edge_f1(s):.1f}"),
        ("Spans that cut a token (start or end inside a token of the data set)", result.cuts),
        ("Spans that cut a word (start or end between two letters or digits)",
         lambda s: result.cuts(s, "word_cuts")),
    ]
    lines.append("")
    lines.append("| | " + " | ".join(names.get(s, s) for s in systems) + " |")
    lines.append("|---|" + "--:|" * len(systems))
    for label, value in rows:
        lines.append(f"| {label} | " + " | ".join(str(value(s)) for s in systems) + " |")
    return "\n".join(lines)


# --- errors of one system ------------------------------------------------------------


def errors(sentences, predictions, entities):
    """False positives and false negatives, each with its kind and a remark:
    [(side, kind, type, text, remark, sentence, start, end)]."""
    exact_names = {e.name: e for e in entities}
    folded_names = {}
    for e in entities:
        folded_names.setdefault(e.name.lower(), e)
    found = []
    for sentence, matches in zip(sentences, predictions):
        gold = set(sentence.gold)
        predicted = {(m.start, m.end, m.type): m for m in matches}
        for (start, end, kind), m in predicted.items():
            if (start, end, kind) in gold:
                continue
            text = sentence.text[start:end]
            what, other = _kind(start, end, gold, "spurious")
            remarks = [f"gold {_show(sentence, other)}"] if other else []
            if m.form != text:
                remarks.append(f"form {m.form!r}")
            if sentence.cuts_word(start, end):
                remarks.append("cuts a word")
            elif sentence.cuts_token(start, end):
                remarks.append("cuts a token")
            found.append(("FP", what, kind, text, "; ".join(remarks), sentence, start, end))
        for start, end, kind in gold:
            if (start, end, kind) in predicted:
                continue
            text = sentence.text[start:end]
            what, other = _kind(start, end, predicted, "missed")
            if text in exact_names:
                remarks = [f"in gazetteer as {exact_names[text].type}"]
            elif text.lower() in folded_names:
                e = folded_names[text.lower()]
                remarks = [f"in gazetteer as {e.name!r} {e.type}"]
            else:
                remarks = ["not in gazetteer"]
            if other:
                remarks.append(f"predicted {_show(sentence, other)}")
            found.append(("FN", what, kind, text, "; ".join(remarks), sentence, start, end))
    return found


def _kind(start, end, others, nothing):
    """'wrong type' (the same span with another type), 'boundary' (an overlapping
    span), or `nothing`; and the other side's span."""
    for other in others:
        if other[0] == start and other[1] == end:
            return "wrong type", other
    for other in others:
        if other[0] < end and start < other[1]:
            return "boundary", other
    return nothing, None


def _show(sentence, span):
    return f"{sentence.text[span[0]:span[1]]!r} {span[2]}"


def error_listing(title, found, limit, context=50):
    """The errors grouped by (side, kind, type, text), most frequent first, each
    group shown with its count and its first sentence. False negatives whose string
    is not in the gazetteer (no system can find them) come last."""
    groups = defaultdict(list)
    for side, kind, type_, text, remark, sentence, start, end in found:
        groups[(side, kind, type_, text)].append((remark, sentence, start, end))

    def unreachable(key):
        return key[0] == "FN" and key[1] == "missed" and groups[key][0][0] == "not in gazetteer"

    lines = [title]
    for side, label in (("FP", "false positives"), ("FN", "false negatives")):
        keys = [key for key in groups if key[0] == side]
        totals = Counter()
        for key in keys:
            totals[key[1]] += len(groups[key])
        summary = ", ".join(f"{kind} {n}" for kind, n in totals.most_common()) or "none"
        lines.append(f"  {side} ({label}): {sum(totals.values())}: {summary}")
        if side == "FN":
            n = sum(len(groups[key]) for key in keys if unreachable(key))
            lines.append(f"     of which missed and not in the gazetteer: {n} (listed last)")
        keys.sort(key=lambda key: (unreachable(key), -len(groups[key]), key))
        for key in keys[:limit]:
            _, kind, type_, text = key
            remark, sentence, start, end = groups[key][0]
            left = sentence.text[max(0, start - context) : start]
            right = sentence.text[end : end + context]
            lines.append(f"  {side} x{len(groups[key]):<3} {kind:<10} {type_:<4} {text!r}"
                         + (f"  ({remark})" if remark else ""))
            lines.append(f"        ...{left}[[{sentence.text[start:end]}]]{right}...")
    return "\n".join(lines)
