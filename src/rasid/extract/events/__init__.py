"""Event building: frames from mentions, roles from a table of named rules, records.

``build.py`` is the driver (``PASSES``, named passes over one document, in
``passes.py``), ``state.py`` what the passes share, ``sentences.py`` one
sentence and one trigger, ``frame.py`` the :class:`Frame`, ``roles.py`` the
tables of role rules, ``doers.py`` the sentence's role steps after them
(doers a clause leaves unnamed), ``locations.py`` where an event happened,
``cues.py`` the words that cancel or contest a trigger, ``facts.py`` claim
source, date and confidence, ``mentions.py`` sentences, clauses and sorted
mentions.
"""

from __future__ import annotations

from rasid.extract.events.build import build_events
from rasid.extract.events.cues import denied
from rasid.extract.events.frame import Frame
from rasid.extract.tolls import combine_casualties

__all__ = ["Frame", "build_events", "combine_casualties", "denied"]
