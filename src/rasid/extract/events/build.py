"""From mentions to events: a short driver over named passes.

``build_events(doc)`` runs :data:`PASSES` in order, each a small function over
one :class:`Build` (the document's mentions, sorted and indexed, and the frames
made so far). The way an ACLED coder reads a report:

1. keep the mentions that can take part in an event (a capital inside a place name
   is no actor, a reporter's city no site, a road's end towns name the road);
2. per sentence: the triggers outside boilerplate that no cue cancels; their places
   and tolls (:mod:`.locations`), actors (:mod:`.roles` and :mod:`.doers`), claim
   source and date (:mod:`.facts`); one frame per place;
3. tolls no trigger took, merging (:mod:`rasid.extract.merge`), the last role fixes;
4. one SPEC record per frame (:mod:`rasid.extract.record`), with the rule that chose
   each field in its ``"spans"``.

``merge``, ``incidents`` and ``record`` are imported inside the passes that use them:
they import :class:`Frame` through this package.
"""

from __future__ import annotations

from collections.abc import Callable

from rasid.document import Document
from rasid.extract.events.passes import (
    article_battle_opponent,
    crowd_homes,
    drop_cues_in_places,
    drop_non_actors,
    drop_non_sites,
    index_mentions,
    last_role_fixes,
    merge,
    place_unhosted_tolls,
    read_sentences,
    river_stretches,
    sort_mentions,
    write_records,
)
from rasid.extract.events.state import Build

Pass = Callable[[Build], None]

PASSES: tuple[Pass, ...] = (
    sort_mentions,
    drop_non_actors,
    drop_non_sites,
    drop_cues_in_places,
    index_mentions,
    crowd_homes,
    read_sentences,
    place_unhosted_tolls,
    merge,
    article_battle_opponent,
    last_role_fixes,
    river_stretches,
    write_records,
)


def build_events(doc: Document) -> None:
    """Turn the document's mentions into SPEC records in ``doc.events``."""
    b = Build(doc)
    for step in PASSES:
        step(b)
