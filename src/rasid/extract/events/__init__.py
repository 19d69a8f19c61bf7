"""Event building: frames from mentions, roles from a table of named rules, records.

``build.py`` is the driver (named passes over one document), ``frame.py`` the
:class:`Frame`, ``roles.py`` the table of role rules, ``locations.py`` where an
event happened, ``doers.py`` the doers a clause leaves unnamed, ``cues.py`` the
words that cancel or contest a trigger, ``facts.py`` claim source, date and
confidence, ``mentions.py`` sentences, clauses and sorted mentions.
"""

from __future__ import annotations

from rasid.extract.events.build import build_events
from rasid.extract.events.cues import denied
from rasid.extract.events.frame import Frame
from rasid.extract.tolls import combine_casualties

__all__ = ["Frame", "build_events", "combine_casualties", "denied"]
