"""Score predicted event records against gold events (SPEC section 6).

``rasid eval`` has to print exactly what the project's reference scorer prints
for the same gold and predictions, so every rule here is the scoring contract,
not a matter of taste:

* events are matched article by article, one to one, first against the
  required gold events and then against the ``optional`` ones; a prediction
  that lands on an optional event is neither right nor wrong;
* a pair can match only when the predicted event type is one of the gold's and
  the predicted place (``location.mention`` or ``location.name_ar``) meets one
  of the gold mentions after the light Arabic normalisation below;
* candidate pairs are taken greedily, best pair score first (1, +2 for the
  right sub-event type, +1 for the right first actor), ties in gold-then-
  prediction order;
* matched pairs are then checked field by field; a gold ``null`` means "not
  scored".

The normalisation deliberately does NOT reuse :mod:`rasid.text.fold` or the
clitic rules of the phrase matcher: those are tuned for extraction and may
change, while the scorer's folding is fixed by the contract and must stay
bit-for-bit stable so that scores remain comparable over time.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------- Arabic normalisation

# Harakat, Quranic marks, superscript alef, small high marks and tatweel vanish.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# One spelling per letter: hamza seats and wasla to bare alef/waw/ya, alef maqsura to ya, ta marbuta to ha.
_LETTERS = str.maketrans("أإآٱىةؤئ", "اااايهوي")
_WORD = re.compile(r"\w+")
_ARTICLE = "ال"
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ك", "ل")
_MIN_STEM = 2  # a clitic is only peeled off when at least this many letters remain


def _article_prefixes() -> tuple[str, ...]:
    """Clitic + article prefixes, in the order they are tried (longest reading first).

    ``[و|ف] [ب|ك|ل] ال`` with each clitic optional, then the contracted ``لل``
    (لل + noun, as in للقوات). Trying "with the conjunction" before "without",
    and "with the preposition" before "without", is what makes ``وبالرقة``
    lose all three letters while ``والي`` (too short) keeps them.
    """
    out: list[str] = []
    for conj in (*_CONJUNCTIONS, ""):
        for prep in (*_PREPOSITIONS, ""):
            out.append(conj + prep + _ARTICLE)
    out.append("لل")
    return tuple(out)


_PREFIXES = _article_prefixes()


def _strip_clitics(token: str) -> str:
    """Drop a leading article with its clitics, then a bare conjunction و on a long word."""
    for prefix in _PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= _MIN_STEM:
            token = token[len(prefix) :]
            break
    if len(token) > 3 and token[0] == "و":
        token = token[1:]
    return token


def place_tokens(text: object) -> tuple[str, ...]:
    """Fold a place mention to the word tuple that the matcher compares.

    ``"وبالرقّة"`` and ``"الرقة"`` both give ``("رقه",)``; an empty or missing
    mention gives ``()`` which matches nothing.
    """
    if not text:
        return ()
    folded = _MARKS.sub("", str(text)).translate(_LETTERS).lower()
    return tuple(_strip_clitics(word) for word in _WORD.findall(folded))


_PROCLITICS = "وفبلك"


def _without_proclitic(word: str) -> str | None:
    """The word less one leading one-letter proclitic (و ف ب ل ك), or None when too short to have one."""
    return word[1:] if len(word) > 3 and word[0] in _PROCLITICS else None


def _same_word(a: str, b: str) -> bool:
    """Equal, or equal once one or two one-letter proclitics (ب, وب, فل …) come off either side.

    SPEC section 6 folds "the one-letter prefixes و ف ب ل ك" before a place
    name, so ``بإدلب`` names ``إدلب``; only the longer word may lose letters.
    """
    if a == b:
        return True
    for x, y in ((a, b), (b, a)):
        once = _without_proclitic(x)
        if once == y or (once is not None and _without_proclitic(once) == y):
            return True
    return False


def _holds(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    """True when ``shorter`` occurs as a contiguous run of words inside ``longer``."""
    size = len(shorter)
    if size == 0:
        return False
    return any(
        all(_same_word(longer[i + k], shorter[k]) for k in range(size)) for i in range(len(longer) - size + 1)
    )


def place_matches(location: Any, gold_mentions: Iterable[Any]) -> bool:
    """Does a predicted ``location`` name one of the gold place mentions?

    Both the surface ``mention`` and the gazetteer ``name_ar`` are tried, and
    containment counts either way: "ريف إدلب" meets "إدلب" and "قرية كفرنبل"
    meets "كفرنبل".
    """
    if not location or not isinstance(location, dict):
        return False
    predicted = [
        t for t in (place_tokens(location.get("mention")), place_tokens(location.get("name_ar"))) if t
    ]
    for mention in gold_mentions:
        gold = place_tokens(mention)
        if gold and any(_holds(p, gold) or _holds(gold, p) for p in predicted):
            return True
    return False


# --------------------------------------------------------------------------- governorates

# Part of the scoring contract (it must equal the reference scorer's list), which
# is why it lives here rather than in the editable gazetteer data: keys are
# spellings already folded by :func:`governorate_key`'s cleaning.
_GOVERNORATE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "aleppo": ("aleppo", "halab", "حلب"),
    "damascus": ("damascus", "dimashq", "دمشق"),
    "rif_dimashq": ("rifdimashq", "ruraldamascus", "damascuscountryside", "ريفدمشق"),
    "daraa": ("daraa", "dara", "deraa", "درعا"),
    "deir_ez_zor": (
        "deirezzor",
        "deirezzour",
        "deirezor",
        "dayrazzawr",
        "deiralzour",
        "deirazzor",
        "ديرالزور",
    ),
    "hama": ("hama", "hamah", "حماه"),
    "hasakah": ("hasakah", "hasakeh", "hasaka", "hassakeh", "حسكه"),
    "homs": ("homs", "حمص"),
    "idlib": ("idlib", "idleb", "ادلب"),
    "latakia": ("latakia", "lattakia", "ladhiqiyah", "لاذقيه"),
    "quneitra": ("quneitra", "qunaytirah", "قنيطره"),
    "raqqa": ("raqqa", "raqqah", "رقه"),
    "suwayda": ("suwayda", "sweida", "suwaida", "suwaydaa", "سويداء"),
    "tartus": ("tartus", "tartous", "طرطوس"),
}
_GOVERNORATE_OF = {
    spelling: key for key, spellings in _GOVERNORATE_SPELLINGS.items() for spelling in spellings
}

_LATIN_ARTICLE = re.compile(r"^(?:al|ar|as|ad|ash|el)[-\s]+")  # "Al-", "As ", "Ash-"...
_ADMIN_WORDS = re.compile("governorate|province|محافظه")


def governorate_key(name: object) -> str | None:
    """Fold a governorate name in any common spelling to one key.

    ``"Al-Hasakeh"``, ``"Hasakah Governorate"`` and ``"الحسكة"`` all give
    ``"hasakah"``. A name not in the list folds to its cleaned self, so two
    identical unknown spellings still agree; an empty name gives ``None``.
    """
    if not name:
        return None
    cleaned = _MARKS.sub("", str(name)).translate(_LETTERS).lower()
    cleaned = _LATIN_ARTICLE.sub("", cleaned, count=1)
    cleaned = cleaned.removeprefix(_ARTICLE)
    cleaned = _ADMIN_WORDS.sub("", cleaned)
    cleaned = "".join(_WORD.findall(cleaned)).replace("_", "")
    return _GOVERNORATE_OF.get(cleaned, cleaned or None)


# --------------------------------------------------------------------------- loading


class EvalInputError(ValueError):
    """A gold or prediction file that cannot be read; the message names file and line."""


def _json_object(line: str, path: str | Path, number: int) -> dict[str, Any]:
    """One JSONL line as an object, or an :class:`EvalInputError` naming ``path:number``."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EvalInputError(f"{path}:{number}: not JSON: {exc}") from None
    if not isinstance(row, dict):
        raise EvalInputError(f"{path}:{number}: expected a JSON object, got {type(row).__name__}")
    return row


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read one JSON object per line, skipping blank lines.

    A bad line raises :class:`EvalInputError` with ``file:line`` so that a
    hand-edited gold file is quick to fix.
    """
    rows: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            rows.append(_json_object(line, path, number))
    return rows


# Keys a gold event must have for scoring to mean anything (SPEC section 6).
GOLD_KEYS = ("article_id", "sub_event_type")


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _strings(v: object, *, nulls: bool = False) -> bool:
    """A string, or a list of strings (``nulls``: a list may also hold null, "no actor" is acceptable)."""
    if isinstance(v, str):
        return True
    return isinstance(v, list) and all(isinstance(x, str) or (nulls and x is None) for x in v)


# Each gold field's accepted shapes (SPEC section 6: lists hold every acceptable answer, null is
# "not scored"), with the words an error uses. A field that is absent is not scored.
_GOLD_SHAPES: dict[str, tuple[Any, str]] = {
    "article_id": (lambda v: isinstance(v, str) or _is_int(v), "a string"),
    "event_type": (lambda v: v is None or _strings(v), "a string or a list of strings"),
    "sub_event_type": (_strings, "a string or a list of strings"),
    "actor1": (lambda v: v is None or _strings(v, nulls=True), "null, a string or a list"),
    "actor2": (lambda v: v is None or _strings(v, nulls=True), "null, a string or a list"),
    "admin1": (lambda v: v is None or _strings(v, nulls=True), "null, a string or a list"),
    "location_mentions": (lambda v: v is None or _strings(v), "a list of strings"),
    "killed": (lambda v: v is None or _is_int(v), "null or a whole number"),
    "injured": (lambda v: v is None or _is_int(v), "null or a whole number"),
    "date": (lambda v: v is None or isinstance(v, str), "null or a YYYY-MM-DD string"),
    "optional": (lambda v: v is None or isinstance(v, bool), "true or false"),
}


# Fields whose gold value is a list of acceptable answers ("x" alone is read as ["x"]).
_LISTED = ("event_type", "sub_event_type", "actor1", "actor2", "admin1", "location_mentions")


def _gold_problem(row: dict[str, Any]) -> str | None:
    missing = [k for k in GOLD_KEYS if k not in row]
    if missing:
        return (
            f"lacks {', '.join(repr(k) for k in missing)}"
            " (is this a gold file? expected one SPEC gold event per line)"
        )
    for key, (ok, expected) in _GOLD_SHAPES.items():
        if key in row and not ok(row[key]):
            return f"'{key}' must be {expected}, got {json.dumps(row[key], ensure_ascii=False)[:60]}"
    return None


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """The gold file for ``rasid eval``, checked for shape line by line.

    An empty, binary or wrong-shape gold file would otherwise score F1 0 with
    exit status 0 (which reads like a catastrophic model, not a wrong file) or
    crash inside the scorer. Every problem is an :class:`EvalInputError`
    naming the file and line.
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise EvalInputError(f"{path}: cannot read gold file ({e.strerror or type(e).__name__})") from None
    if b"\x00" in data[:65536]:
        raise EvalInputError(f"{path}: binary file (NUL bytes), not JSON lines")
    rows: list[dict[str, Any]] = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
        except UnicodeDecodeError as e:
            raise EvalInputError(f"{path}:{number}: not UTF-8 text (bad byte 0x{raw[e.start]:02x})") from None
        if not line:
            continue
        row = _json_object(line, path, number)
        problem = _gold_problem(row)
        if problem:
            raise EvalInputError(f"{path}:{number}: gold event {problem}")
        for key in _LISTED:  # one answer written bare: the list of that one answer
            if isinstance(row.get(key), str):
                row[key] = [row[key]]
        rows.append(row)
    if not rows:
        raise EvalInputError(f"{path}: no gold events (empty file)")
    return rows


# --------------------------------------------------------------------------- scoring

FIELDS = ("sub_event_type", "actor1", "actor2", "killed", "injured", "date", "admin1")


@dataclass
class EvalResult:
    """Counts, rates and the readable detail of one scoring run.

    ``fields`` maps a field name to ``(right, scored)`` and only holds fields
    scored at least once. ``misses``, ``extras`` and ``wrong`` are report
    lines of each kind; ``details`` holds all of them in reading order
    (article by article: wrong fields, then misses, then extras), which is the
    order the verbose report prints.
    """

    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    fields: dict[str, tuple[int, int]]
    misses: list[str]
    extras: list[str]
    wrong: list[str]
    details: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready data (same keys as the reference's ``--json``)."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "event_f1": self.f1,
            "fields": {
                name: {"accuracy": right / scored if scored else None, "scored": scored}
                for name, (right, scored) in self.fields.items()
            },
        }


def _actor_id(actor: Any) -> Any:
    """Predicted actors are objects with an ``id``; gold lists hold bare ids."""
    return actor.get("id") if isinstance(actor, dict) else actor


def _among(value: Any, accepted: Any) -> bool:
    """``value`` is one of the accepted answers (a missing list accepts nothing)."""
    return accepted is not None and value in accepted


def pair_score(pred: dict[str, Any], gold: dict[str, Any]) -> float | None:
    """How well a prediction fits a gold event, or ``None`` when they cannot match.

    Type and place decide whether the pair is possible; the sub-event type
    (+2) and first actor (+1) only decide which of several possible partners
    wins, so a right-in-detail prediction is not stolen by a sloppier one.
    """
    if not _among(pred.get("event_type"), gold.get("event_type")):
        return None
    if not place_matches(pred.get("location"), gold.get("location_mentions") or ()):
        return None
    points = 1.0
    if _among(pred.get("sub_event_type"), gold.get("sub_event_type")):
        points += 2
    if gold.get("actor1") and _actor_id(pred.get("actor1")) in gold["actor1"]:
        points += 1
    return points


def _sub(record: dict[str, Any], outer: str, inner: str) -> Any:
    """``record[outer][inner]`` where a missing or null outer object reads as empty."""
    return (record.get(outer) or {}).get(inner)


def field_checks(pred: dict[str, Any], gold: dict[str, Any]) -> dict[str, bool | None]:
    """Right/wrong per field for a matched pair; ``None`` where gold does not score it.

    Gold actor lists may contain ``null`` to accept "no actor named".
    """

    def listed(gold_key: str, value: Any) -> bool | None:
        accepted = gold.get(gold_key)
        return None if accepted is None else value in accepted

    def equal(gold_key: str, value: Any) -> bool | None:
        expected = gold.get(gold_key)
        return None if expected is None else value == expected

    admin1: bool | None = None
    if gold.get("admin1"):
        accepted = {governorate_key(name) for name in gold["admin1"]}
        admin1 = governorate_key(_sub(pred, "location", "admin1")) in accepted
    return {
        "sub_event_type": listed("sub_event_type", pred.get("sub_event_type")),
        "actor1": listed("actor1", _actor_id(pred.get("actor1"))),
        "actor2": listed("actor2", _actor_id(pred.get("actor2"))),
        "killed": equal("killed", _sub(pred, "fatalities", "killed")),
        "injured": equal("injured", _sub(pred, "fatalities", "injured")),
        "date": equal("date", _sub(pred, "date", "start")),
        "admin1": admin1,
    }


def match_article(golds: Sequence[dict[str, Any]], preds: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one greedy matching inside one article: ``(gold index, pred index)`` pairs in match order.

    Required gold events are served first so that an optional event can never
    take a prediction a required one could use. Within each round the best
    pair score wins; equal scores go in gold order, then prediction order.
    """
    pairs: list[tuple[int, int]] = []
    taken_gold: set[int] = set()
    taken_pred: set[int] = set()
    for optional_round in (False, True):
        candidates: list[tuple[float, int, int]] = []
        for gi, gold in enumerate(golds):
            if bool(gold.get("optional")) != optional_round:
                continue
            for pi, pred in enumerate(preds):
                points = pair_score(pred, gold)
                if points is not None:
                    candidates.append((-points, gi, pi))
        for _, gi, pi in sorted(candidates):
            if gi in taken_gold or pi in taken_pred:
                continue
            taken_gold.add(gi)
            taken_pred.add(pi)
            pairs.append((gi, pi))
    return pairs


def _first(values: Any) -> Any:
    """First item of a gold answer list, for display."""
    return values[0] if values else None


def _why(gold: dict[str, Any], width: int) -> str:
    return str(gold.get("why") or "")[:width]


def _group(rows: Iterable[dict[str, Any]]) -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row.get("article_id")].append(row)
    return grouped


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def score(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> EvalResult:
    """Match predictions to gold article by article and count (SPEC section 6)."""
    gold_by_article, pred_by_article = _group(gold), _group(pred)
    tp = fp = fn = 0
    tally: dict[str, list[int]] = {}
    misses: list[str] = []
    extras: list[str] = []
    wrong: list[str] = []
    details: list[str] = []

    for article in sorted(set(gold_by_article) | set(pred_by_article), key=str):
        golds = gold_by_article.get(article, [])
        preds = pred_by_article.get(article, [])
        pairs = match_article(golds, preds)
        for gi, pi in pairs:
            g = golds[gi]
            if g.get("optional"):
                continue
            tp += 1
            checks = field_checks(preds[pi], g)
            for name, ok in checks.items():
                if ok is None:
                    continue
                counts = tally.setdefault(name, [0, 0])
                counts[0] += int(ok)
                counts[1] += 1
            bad = [name for name, ok in checks.items() if ok is False]
            if bad:
                line = f"  ~ {article} {_why(g, 70)} | wrong: {', '.join(bad)}"
                wrong.append(line)
                details.append(line)
        matched_gold = {gi for gi, _ in pairs}
        matched_pred = {pi for _, pi in pairs}
        for gi, g in enumerate(golds):
            if gi in matched_gold or g.get("optional"):
                continue
            fn += 1
            what = f"{_first(g.get('event_type'))}/{_first(g.get('sub_event_type'))}"
            line = f"  - MISSED {article} {what} @ {_first(g.get('location_mentions'))} | {_why(g, 80)}"
            misses.append(line)
            details.append(line)
        for pi, p in enumerate(preds):
            if pi in matched_pred:
                continue
            fp += 1
            what = f"{p.get('event_type')}/{p.get('sub_event_type')}"
            line = f"  + EXTRA  {article} {what} @ {_sub(p, 'location', 'mention')}"
            extras.append(line)
            details.append(line)

    precision, recall = _rate(tp, tp + fp), _rate(tp, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return EvalResult(
        tp=tp,
        fp=fp,
        fn=fn,
        precision=precision,
        recall=recall,
        f1=f1,
        fields={name: (right, scored) for name, (right, scored) in tally.items()},
        misses=misses,
        extras=extras,
        wrong=wrong,
        details=details,
    )


def headline(result: EvalResult) -> str:
    """The one-line summary every tool in the project greps for."""
    return (
        f"event_f1={result.f1:.3f} precision={result.precision:.3f} recall={result.recall:.3f} "
        f"tp={result.tp} fp={result.fp} fn={result.fn}"
    )


def format_report(result: EvalResult, verbose: bool = False) -> str:
    """The printable report: detail lines (verbose only), field accuracies, then the headline last."""
    lines = list(result.details) if verbose else []
    for name in sorted(result.fields):
        right, scored = result.fields[name]
        accuracy = f"{right / scored:.3f}" if scored else "n/a"
        lines.append(f"{name:>15}: {accuracy} on {scored} matched events")
    lines.append(headline(result))
    return "\n".join(lines)
