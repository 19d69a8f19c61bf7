"""An outlet's ACLED ``source_scale`` (Subnational, National, Regional, International...).

ACLED says for each source how widely it reports; an export that loads into
ACLED workflows should say it too. rasid cannot know it from an article, so it
reads a small hand-made table, ``data/outlets.tsv``: a rough default, not
ACLED's coding, matched on the article's ``outlet`` name or its url's host.
An outlet not in the table has no scale (an empty cell), never a guess.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(name -> scale, [(domain or domain/path, scale)]), names lower-cased."""
    from rasid.knowledge.loader import read_tsv

    names: dict[str, str] = {}
    domains: list[tuple[str, str]] = []
    for _, row in read_tsv("outlets.tsv", ("outlet", "scale", "names")):
        scale = row["scale"]
        for name in [row["outlet"], *row["names"].split("|")]:
            name = name.strip().lower()
            if not name:
                continue
            if "." in name and " " not in name:
                domains.append((name, scale))
            else:
                names.setdefault(name, scale)
    # the longest domain first: "bbc.com/arabic" before a plain "bbc.com"
    domains.sort(key=lambda d: -len(d[0]))
    return names, domains


def source_scale(outlet: str | None, url: str | None = None) -> str | None:
    """The scale of the outlet named ``outlet`` (or a domain in it), else of ``url``'s site; None when
    the table does not know it."""
    names, domains = _table()
    if outlet and outlet.strip().lower() in names:
        return names[outlet.strip().lower()]
    for value in (outlet, url):
        if not value:
            continue
        low = value.strip().lower()
        parts = urlsplit(low if "//" in low else "//" + low)
        host = (parts.hostname or "").removeprefix("www.")
        where = host + parts.path
        for domain, scale in domains:
            site, _, path = domain.partition("/")
            if (host == site or host.endswith("." + site)) and where[len(host) :].startswith(
                "/" + path if path else ""
            ):
                return scale
    return None
