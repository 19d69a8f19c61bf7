"""Read the language and world data shipped in ``rasid/data``.

Everything a domain expert edits (aliases, place names, trigger words, number
words, month names) is a TSV or YAML file in ``rasid/data``. This module is the
one place that opens them, and its errors name the file, line and field so a
bad edit is found at once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


class DataError(ValueError):
    """A data file is malformed: the message names file, line and field."""


def data_path(name: str) -> Path:
    """Path of a file shipped in ``rasid/data``."""
    return Path(str(resources.files("rasid") / "data" / name))


# libyaml's loader when PyYAML was built with it (the same documents, about ten times as fast
# as the pure-Python one, which a cold loader otherwise pays inside the first articles).
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(name: str) -> Any:
    path = data_path(name)
    try:
        with path.open(encoding="utf-8") as f:
            return yaml.load(f, Loader=_SAFE_LOADER)
    except yaml.YAMLError as e:
        raise DataError(f"{path}: {e}") from e


def read_tsv(name: str, required: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for a TSV file with a header row.

    Lines starting with ``#`` and blank lines are skipped. ``required`` columns
    must be present in the header and non-empty in each row.
    """
    path = data_path(name)
    with path.open(encoding="utf-8", newline="") as f:
        lines = ((n, line) for n, line in enumerate(f, 1) if line.strip() and not line.startswith("#"))
        try:
            header_no, header_line = next(lines)
        except StopIteration:
            raise DataError(f"{path}: empty file") from None
        header = header_line.rstrip("\r\n").split("\t")
        missing = [c for c in required if c not in header]
        if missing:
            raise DataError(f"{path}:{header_no}: missing column(s) {', '.join(missing)}")
        for n, line in lines:
            values = next(csv.reader([line.rstrip("\r\n")], delimiter="\t", quoting=csv.QUOTE_NONE))
            if len(values) > len(header):
                raise DataError(f"{path}:{n}: {len(values)} fields, header has {len(header)}")
            row = dict(zip(header, values + [""] * (len(header) - len(values)), strict=True))
            for c in required:
                if not row[c].strip():
                    raise DataError(f"{path}:{n}: field '{c}' is empty")
            yield n, row
