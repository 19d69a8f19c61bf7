"""Optional compiled build of the extraction pipeline (everything else is in pyproject.toml).

A plain ``pip install .`` or ``pip install -e .`` gives pure Python, which is
what development, ``make run`` and ``make test`` use: edit a module and the
change is live. With ``RASID_COMPILE=1`` the pipeline modules are compiled to C
extensions by mypyc from the same annotated sources (as black and mypy ship
themselves), about 1.7 times as fast at extraction. ``make fast`` builds that
into ``.venv-fast`` and ``make test-compiled`` runs the whole test suite
against it, so both builds give the same events.

The readers, CLI, evaluation and HTML rendering stay pure Python: they are
I/O-bound, and readers' tests replace module attributes, which compiled
modules do not see.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup

# The modules a document passes through in rasid.pipeline, and what they import.
COMPILED = [
    "document.py",
    "pipeline.py",
    "text/fold.py",
    "text/tokens.py",
    "text/boilerplate.py",
    "text/segment.py",
    "knowledge/loader.py",
    "knowledge/matcher.py",
    "knowledge/actors.py",
    "knowledge/coref.py",
    "geo/gazetteer.py",
    "geo/places.py",
    "extract/numbers.py",
    "extract/dates.py",
    "extract/casualties.py",
    "extract/triggers.py",
    "extract/frames.py",
    "extract/arguments.py",
    "extract/incidents.py",
    "extract/merge.py",
    "extract/notes.py",
    "extract/record.py",
    "extract/tolls.py",
    "extract/places_of_events.py",
    *(
        f"extract/events/{m}.py"
        for m in ("__init__", "frame", "mentions", "cues", "locations", "roles", "state", "doers", "facts")
        + ("sentences", "passes", "build")
    ),
]


def _extensions() -> list:
    if os.environ.get("RASID_COMPILE") != "1":
        return []
    from mypyc.build import mypycify  # only needed for the compiled build

    # paths relative to this file, which is where pip runs it
    sources = [str(Path("src", "rasid", m)) for m in COMPILED]
    return mypycify([*sources, "--ignore-missing-imports"], opt_level="3")


setup(ext_modules=_extensions())
