"""The claim source, the date and the confidence of a frame."""

from __future__ import annotations

from rasid.document import Mention, Sentence
from rasid.extract.arguments import Roles
from rasid.extract.events.mentions import ByStart, inside


def claim_for(trig: Mention, sources: list[Mention], sent: Sentence) -> Mention | None:
    """The source of the trigger's sentence: the last one before it, else the first after it."""
    here = [s for s in sources if inside(s, sent.start, sent.end)]
    if here:
        before = [s for s in here if s.start <= trig.start]
        return before[-1] if before else here[0]
    return None


def paragraph_date(dates: ByStart, sentences: list[Sentence], si: int) -> Mention | None:
    para = sentences[si].paragraph
    # (not reversed(sentences[:si]): a copy of the article's sentences per trigger)
    for i in range(si - 1, -1, -1):
        s = sentences[i]
        if s.paragraph != para:
            break
        found = dates.inside(s.start, s.end)
        if found:
            return found[-1]
    return None


def confidence(trig: Mention, roles: Roles, loc: Mention) -> float:
    score = 0.4
    if roles.actor1 is not None:
        score += 0.2
    if roles.actor2 is not None:
        score += 0.1
    if loc.kind == "place":
        score += 0.2
    if trig.data.get("pos") == "verb":
        score += 0.05
    return round(min(score, 0.95), 2)
