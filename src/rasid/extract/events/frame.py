"""The Frame: one event in the making, shared by event building, merging and records.

It lives alone in this module, which imports nothing of event building, so
``merge``, ``incidents``, ``tolls`` and ``record`` can import it without
importing the builder back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rasid.document import Mention, Sentence
from rasid.extract.arguments import Roles


@dataclass(slots=True)
class Frame:
    """One event in the making: a trigger, its arguments and its evidence."""

    trigger: Mention
    event_type: str
    sub_event_type: str
    sentence: Sentence
    location: Mention | None
    roles: Roles
    casualties: list[Mention] = field(default_factory=list)
    date: Mention | None = None
    claim: Mention | None = None
    contested: bool = False
    mentions: list[Mention] = field(default_factory=list)
    evidence: list[tuple[int, int]] = field(default_factory=list)
    confidence: float = 0.5
    sentences: set[int] = field(default_factory=set)  # start offsets of the sentences told in
    denied_only: bool = False  # every telling is what a denial says did not happen
    admin1_hint: str | None = None  # the governorate of a river's stretch, from the places told before
    headline: bool = False  # told in the article's title line
    # the rule that chose location, date, claim, fatalities and event_type, with the mention it chose
    # (actors keep theirs in ``roles.rules``): the record's "spans"
    rules: dict[str, tuple[Mention, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sentences.add(self.sentence.start)

    @property
    def location_key(self) -> str | None:
        if self.location is None:
            return None
        return self.location.data.get("gazetteer_id") or self.location.text

    def because(self, key: str, m: Mention | None, rule: str) -> None:
        """Record that ``rule`` chose ``m`` for the record field ``key``."""
        if m is not None:
            self.rules[key] = (m, rule)
