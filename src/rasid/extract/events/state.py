"""What event building's passes share: one :class:`Build` per document, one :class:`Said` per
sentence with triggers, one :class:`Asked` per trigger whose actors are being found, and the
tables that say which rule chose each field."""

from __future__ import annotations

from dataclasses import dataclass, field

from rasid.document import Document, Mention, Sentence
from rasid.extract.arguments import Roles
from rasid.extract.events.frame import Frame
from rasid.extract.events.locations import (
    Why,
)
from rasid.extract.events.mentions import (
    ByStart,
)

# (record field, id of a mention) -> the rule that chose that mention for that field


# (record field, id of a mention) -> the rule that chose that mention for that field
FieldRules = dict[tuple[str, int], str]


@dataclass(slots=True)
class Build:
    """What the passes share: the document's mentions by kind (sorted by start) and the frames so far."""

    doc: Document
    triggers: list[Mention] = field(default_factory=list)
    actors: list[Mention] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)  # sites only, sorted by start
    casualties: list[Mention] = field(default_factory=list)
    dates: list[Mention] = field(default_factory=list)
    sources: list[Mention] = field(default_factory=list)
    cues: list[Mention] = field(default_factory=list)  # negation, hypothetical, background
    denials: list[Mention] = field(default_factory=list)
    endpoints: list[Mention] = field(default_factory=list)  # the towns that name a road
    sentences: list[Sentence] = field(default_factory=list)
    title: int | None = None  # index of the title line among the sentences
    index: dict[str, ByStart] = field(default_factory=dict)  # kind -> mentions found by bisection
    frames: list[Frame] = field(default_factory=list)
    unhosted: list[Mention] = field(default_factory=list)  # tolls with no event word and no event before
    how: Why = field(default_factory=dict)  # (trigger, place or toll) -> the rule that gave it
    why: FieldRules = field(default_factory=dict)  # (field, mention) -> the rule that chose it
    # the roles of the battles among frames[:n], as (frames, n, roles): see sentences._battle_roles
    battles: tuple[list[Frame] | None, int, list[Roles]] = field(default_factory=lambda: (None, 0, []))


@dataclass(slots=True)
class Said:
    """One sentence with triggers, as its triggers' frames are made."""

    si: int
    sent: Sentence
    clauses: list[tuple[int, int]]
    clause_of: dict[int, tuple[int, int]]
    live: list[Mention]  # its triggers that no cue cancels, adjacent ones collapsed
    retaliation: set[int]  # ids of triggers told as a reason ("ردا على الهجوم…")
    actors: list[Mention]
    dates: list[Mention]
    sources: list[Mention]
    tolls: list[Mention]  # its casualty mentions
    owned: dict[int, list[Mention]]  # trigger id -> its places
    owned_tolls: dict[int, list[Mention]]  # trigger id -> its tolls
    victims: list[Mention] | None = None  # the actors its tolls name as hit (found once)
    orphans: list[Mention] = field(default_factory=list)  # tolls of triggers with no place of their own
    made: int = 0  # frames made from it
    first_frame: int = 0


@dataclass(slots=True)
class Asked:
    """One trigger whose actors are being found: what the sentence-level role steps look at."""

    trig: Mention
    clause: tuple[int, int]
    floor: int  # where a reason clause holding the trigger starts, else the sentence start
    usable: list[Mention]  # the sentence's actors from the floor on, not the victims of its tolls
    clash: bool  # two sides of a clash, or two parties of a deal


# ---------------------------------------------------------------- the rules that chose each field


def label_tolls(b: Build, frames: list[Frame], rule: str) -> None:
    """Tolls that a toll rule gave these frames, and no rule of this module: named after that rule."""
    for f in frames:
        for c in f.casualties:
            b.why.setdefault(("fatalities", id(c)), rule)


def note_rules(b: Build) -> None:
    """Copy each frame's rules into ``b.why``, so a frame that takes another's actor keeps its rule."""
    for f in b.frames:
        for role, (m, rule) in f.roles.rules.items():
            b.why.setdefault((role, id(m)), rule)
        for key, (m, rule) in f.rules.items():
            b.why.setdefault((key, id(m)), rule)
