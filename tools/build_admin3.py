"""Build src/rasid/data/admin3.tsv: the sub-district (admin3) of each Syrian gazetteer place.

The gazetteer (places.tsv, built by tools/build_gazetteer.py) keeps admin1 and
admin2 only; the store's ACLED export also has an ``admin3`` column. The staged
source the gazetteer is built from (/work/shared/data/geo/syr_places.tsv, OCHA
COD-AB sub-districts; sources and licences in src/rasid/data/LICENSES.md) has
it, so this keeps it beside the gazetteer, keyed by the same place id, for the
store only (it is no part of extraction and not of the extractor version).

    .venv/bin/python tools/build_admin3.py [SYR_PLACES_TSV]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "rasid" / "data"
DEFAULT_SOURCE = Path("/work/shared/data/geo/syr_places.tsv")
HEADER = (
    "# Sub-district (admin3, OCHA COD-AB) of each places.tsv entry, for the store's ACLED export\n"
    "# (built by tools/build_admin3.py from the staged syr_places.tsv; do not edit by hand).\n"
    "# Sources and licences: LICENSES.md (the same as places.tsv).\n"
)


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    ids = set()
    with open(DATA / "places.tsv", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#") and not line.startswith("id\t"):
                ids.add(line.split("\t", 1)[0])
    rows = []
    with open(source, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r["id"] in ids and r["admin3_en"]:
                rows.append((r["id"], r["admin3_en"], r["admin3_ar"]))
    rows.sort()
    with open(DATA / "admin3.tsv", "w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        out.write("id\tadmin3\tadmin3_ar\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"admin3.tsv: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
