"""Short forms that refer back to an actor already named in the article.

News names a group in full once and then shortens it: "التحالف الدولي" becomes
"التحالف", "هيئة تحرير الشام" becomes "الهيئة". Alone these words are too
vague to be actors (many alliances exist), so the actor matcher leaves them
out; this component reads them only after the article has named one of their
candidate actors, and gives them that actor (the one named most recently).
The short forms are data (``data/short_forms.yaml``).
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate

from rasid.document import Document, Mention
from rasid.knowledge.actors import FALL_OF_ASSAD, actor_by_id, add_actor, article_day, infer_era, resolve
from rasid.knowledge.loader import load_yaml
from rasid.knowledge.matcher import PhraseMatcher
from rasid.text.fold import fold_phrase, fold_set
from rasid.text.tokens import Token, clitic_variants


@lru_cache(maxsize=1)
def short_forms() -> dict[str, tuple[str, ...]]:
    """Folded short form -> candidate actor ids."""
    data = load_yaml("short_forms.yaml")
    return {fold_phrase(word): tuple(ids) for word, ids in data["short_forms"].items()}


# token text -> (candidate ids, clitic length) of its first reading that is a short form, or None
_READING: dict[str, tuple[tuple[str, ...], int] | None] = {}


def _reading(token: str) -> tuple[tuple[str, ...], int] | None:
    """The first clitic reading of ``token`` that is a short form: its actor ids and clitic length."""
    if token in _READING:
        return _READING[token]
    forms = short_forms()
    found = next(((forms[v.text], v.skip) for v in clitic_variants(token) if v.text in forms), None)
    if len(_READING) >= 20_000:
        _READING.clear()
    _READING[token] = found
    return found


@lru_cache(maxsize=1)
def _still_short() -> frozenset[str]:
    """Folded words after which a short form stays one (``still_short_before``)."""
    return fold_set(load_yaml("short_forms.yaml")["still_short_before"])


def _named_body(tokens: list[Token], i: int) -> bool:
    """``الهيئة الشرعية``: the short form at ``i`` is followed by a definite adjective."""
    if i + 1 >= len(tokens) or not tokens[i + 1].joined:
        return False
    nxt = tokens[i + 1].text
    return nxt.startswith("ال") and nxt not in _still_short()


@lru_cache(maxsize=1)
def _defaults() -> dict[str, tuple[str, ...]]:
    """Folded short form -> the actor ids it names with no antecedent (resolved by era)."""
    data = load_yaml("short_forms.yaml").get("defaults") or {}
    return {fold_phrase(word): tuple(ids) for word, ids in data.items()}


def _add_default(doc: Document, form: str, start: int, end: int) -> None:
    """ "قال الجيش" with no army named before: the Syrian army of the article's era."""
    ids = _defaults().get(form)
    if not ids:
        return
    actor = resolve(ids, article_day(doc), infer_era(doc))
    add_actor(
        doc,
        start,
        end,
        actor,
        loaded=None,
        adjective=False,
        metonym=False,
        assoc_actor_id=None,
        short_form=True,
    )


class _Spans:
    """Spans already taken, asked whether any overlaps ``[start, end)`` in O(log n) (issue #19:
    a scan of every span for every short form was quadratic in a long article's length)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        # the largest end among the spans of the first i + 1 starts
        self.max_end = list(accumulate((b for _, b in spans), max))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span ``(a, b)`` has ``a < end`` and ``start < b``."""
        n = bisect_left(self.starts, end)  # the spans with a < end
        return n > 0 and self.max_end[n - 1] > start


class _Antecedents:
    """The actor mentions (sorted by start) by actor id, to find the last one of some ids before
    a position by bisection rather than by a scan of every mention before it."""

    def __init__(self, actors: list[Mention]) -> None:
        self.actors = actors
        self.starts = [a.start for a in actors]
        self.by_id: dict[object, list[int]] = {}
        for i, a in enumerate(actors):
            for key in {a.data.get("actor_id"), a.data.get("assoc_actor_id")}:
                if key is not None:
                    self.by_id.setdefault(key, []).append(i)

    def last_before(self, ids: tuple[str, ...], pos: int) -> Mention | None:
        """The last mention (in ``actors``' order) that starts before ``pos`` and names one of ``ids``."""
        n = bisect_left(self.starts, pos)  # actors[:n] start before pos
        best = -1
        for actor_id in ids:
            where = self.by_id.get(actor_id)
            if where:
                k = bisect_left(where, n)
                if k > 0 and where[k - 1] > best:
                    best = where[k - 1]
        return self.actors[best] if best >= 0 else None


def resolve_short_forms(doc: Document) -> None:
    """Add ``actor`` mentions for short forms of actors named earlier and for unnamed air arms.

    Short forms carry data ``short_form=True``; air arms read from context ``inferred=True``.
    """
    _resolve_abbreviations(doc)
    resolve_air_arms(doc)


def _indexes(doc: Document) -> tuple[_Spans, _Antecedents]:
    """The spans names already take and the actor mentions in text order, as the document has them now."""
    actors = sorted(doc.mentions_of("actor"), key=lambda m: m.start)
    taken = _Spans(
        [(m.start, m.end) for m in doc.mentions if m.kind in ("actor", "claim_source", "place", "region")]
    )
    return taken, _Antecedents(actors)


def _resolve_abbreviations(doc: Document) -> None:
    """ "التحالف" after "التحالف الدولي": the short forms of ``short_forms.yaml``."""
    # (the taken spans and the antecedents as they are before the first short form: built then,
    # since most articles have none and nothing is added before it)
    index: tuple[_Spans, _Antecedents] | None = None
    folded = doc.folded
    tokens = doc.tokens
    known = _READING.get
    # tokens known to hold no short form (most) are skipped with one dictionary lookup each
    for i, tok in enumerate(tokens):
        if not known(tok.text, True):
            continue
        reading = _reading(tok.text)
        if reading is None or _named_body(tokens, i):
            continue
        ids, skip = reading
        start, end = folded.span(tok.start + skip, tok.end)
        if index is None:
            index = _indexes(doc)
        taken, antecedents = index
        if taken.overlaps(start, end):
            continue
        antecedent = antecedents.last_before(ids, start)
        if antecedent is None:
            _add_default(doc, folded.text[tok.start + skip : tok.end], start, end)
            continue
        data = {k: v for k, v in antecedent.data.items() if k not in ("adjective", "metonym", "loaded")}
        doc.add_mention(
            start, end, "actor", **data, adjective=False, metonym=False, loaded=None, short_form=True
        )


@lru_cache(maxsize=1)
def _air_arms() -> tuple[PhraseMatcher, tuple[str, ...], str]:
    """Matcher of unnamed air arms (payload "") and signature weapons (payload: their actor id)."""
    data = load_yaml("short_forms.yaml")["unnamed_air_arms"]
    matcher = PhraseMatcher()
    for phrase in data["phrases"]:
        matcher.add(phrase, "")
    for phrase, actor_id in data["signature_weapons"].items():
        matcher.add(phrase, actor_id)
    return matcher, tuple(data["candidates"]), str(data["default_before_fall"])


def _before_fall(doc: Document) -> bool:
    """Whether the article tells of the time before December 2024 (its date, else its era cues)."""
    day = article_day(doc)
    if day is not None:
        return day < FALL_OF_ASSAD
    return infer_era(doc) != "post_2024"


def _air_arm_owner(payload: str, antecedent: Mention | None, default: str, before_fall: bool) -> str | None:
    """Whose air arm: a signature weapon's own side, else the air actor named last, else the default."""
    if payload:
        return payload if before_fall else None
    if antecedent is not None:
        owner = antecedent.data.get("actor_id")
        return owner if isinstance(owner, str) else None
    return default if before_fall else None


def resolve_air_arms(doc: Document) -> None:
    """``أسقطت مروحيات حربية براميل متفجرة فوق الحي``: air arms and weapons named without an owner.

    "الطيران الحربي" after "الطائرات الروسية" is Russian; with no air actor named before, an
    article from before December 2024 means the Syrian air force. Barrel bombs are that air
    force's whoever flew last.
    """
    matcher, candidates, default = _air_arms()
    found = matcher.find(doc.tokens)
    if not found:
        return
    taken, antecedents = _indexes(doc)
    before_fall = _before_fall(doc)
    for match in found:
        start, end = match.original_span(doc.folded)
        if taken.overlaps(start, end) or doc.in_boilerplate(start):
            continue
        owner = _air_arm_owner(
            str(match.payloads[0]), antecedents.last_before(candidates, start), default, before_fall
        )
        if owner is None:
            continue
        actor = actor_by_id(owner)
        add_actor(
            doc,
            start,
            end,
            actor,
            loaded=None,
            adjective=False,
            metonym=False,
            assoc_actor_id=None,
            inferred=True,
            weapon=bool(match.payloads[0]),
        )
