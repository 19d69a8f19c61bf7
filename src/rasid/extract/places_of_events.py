"""Which places of a sentence are separate sites of one event: lists of places.

An ACLED coder gives one event to each place of a list told after one trigger
(``قصفت القوات بلدة كفرنبل وقرى حاس والبارة``). The list words live in data
files: the class words of ``place_words.yaml`` (قرية، قرى، بلدة، حي ...) and the
vicinity words of ``arguments.yaml`` (محيط، أطراف ...). The functions here decide,
for two places told one after the other, whether the second is another item of
the list or only says more about the first.
"""

from __future__ import annotations

from functools import lru_cache

from rasid.document import Document, Mention
from rasid.extract.arguments import folded_between, markers
from rasid.geo.places import words
from rasid.knowledge.loader import load_yaml
from rasid.text.fold import fold_phrase, fold_set

# the most words a list joiner holds besides و: "وأطراف مدينة", "وقرى"
_JOINER_WORDS = 2
# the longest joiner in characters: "، وأطراف بلدة "
_JOINER_CHARS = 20
# features of a city that has quarters, and of the quarters in it
_TOWN_FEATURES = frozenset({"capital", "city", "town"})
_QUARTER_FEATURES = frozenset({"quarter", "neighbourhood"})
# marks that stick to a word ("في البلدة.")
_PUNCTUATION = ".,،؛:!؟?\"'«»()“”"


@lru_cache(maxsize=1)
def _joiner_words() -> frozenset[str]:
    """The words that may stand between two items of a list after و: class and vicinity words."""
    return words().class_words | markers().vicinity


@lru_cache(maxsize=1)
def _counting_class_words() -> frozenset[str]:
    """Singular and dual class words (``بلدتي``): the places after them are counted one by one."""
    return fold_set(load_yaml("place_lists.yaml")["counting_class_words"])


def counted_one_by_one(doc: Document, first: Mention) -> bool:
    """``محيط بلدتي الناجية وبداما``, ``أطراف مدينة X وY``: a singular or dual class word right
    before the first place of a list counts its places, so a vicinity word does not make them one."""
    before = folded_between(doc, max(0, first.start - 16), first.start)[-1:]
    return bool(before) and before[0] in _counting_class_words()


def _strip_and(gap: list[str]) -> tuple[list[str], bool]:
    """The gap's words without the conjunction و (a word of its own or a clitic), and whether it was there."""
    if not gap:
        return gap, False
    conj = markers().conjunction
    if gap[0] == conj:
        return gap[1:], True
    if gap[0].startswith(conj) and gap[0][1:] in _joiner_words():
        return [gap[0][1:], *gap[1:]], True
    return gap, False


def joined_as_list(doc: Document, prev: Mention, cur: Mention) -> bool:
    """The second place is another item of a list: joined by و or a comma, maybe with a class word.

    ``كفرنبل وحاس``, ``كفرنبل، حاس``, ``بلدة كفرنبل وقرية حاس``, ``مدينة جرجناز، وقرى تلمنس``,
    ``الزاهرة وأطراف مخيم اليرموك``: each place is its own site.
    ``حاس في جبل الزاوية`` or ``حاس جنوب إدلب`` is no list.
    """
    raw = doc.text[prev.end : cur.start]
    if len(raw.strip()) > _JOINER_CHARS:
        return False
    gap = [w for w in folded_between(doc, prev.end, cur.start) if w not in (",", "،")]
    comma = "," in raw or "،" in raw
    rest, conj = _strip_and(gap)
    if not (conj or comma):
        return False
    return len(rest) <= _JOINER_WORDS and all(w in _joiner_words() for w in rest)


def quarter_of(town: Mention, quarter: Mention) -> bool:
    """``حلب ... أحياء المشهد والصالحين``: a quarter told after its city is the finer site."""
    return (
        town.data.get("feature") in _TOWN_FEATURES
        and quarter.data.get("feature") in _QUARTER_FEATURES
        and town.data.get("admin1") == quarter.data.get("admin1")
        and town.start < quarter.start
    )


def without_cities_of_quarters(places: list[Mention]) -> list[Mention]:
    """Drop a city whose quarters the same list names after it (places in text order)."""
    return [p for i, p in enumerate(places) if not any(quarter_of(p, q) for q in places[i + 1 :])]


def without_fronted(places: list[Mention], clause: tuple[int, int]) -> list[Mention]:
    """Places told in an earlier clause locate the event only when its own clause names none.

    ``وفي مدينة نوى، انفجرت عبوة ناسفة``: the fronted town is the place. ``سيطر التنظيم على
    الحي، واستهدف المستودعات في حي الزهور``: the target's quarter, not the one taken before.
    """
    own = [p for p in places if p.start >= clause[0]]
    return own or places


# what a "same place" phrase points back at: a place of any kind
_ANY_FEATURE = frozenset({"*"})


@lru_cache(maxsize=1)
def _same_place_phrases() -> frozenset[str]:
    """``المنطقة ذاتها``, ``المكان نفسه`` (folded, two words)."""
    return fold_set(load_yaml("place_lists.yaml")["same_place_phrases"])


@lru_cache(maxsize=1)
def _anaphora() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """The anaphoric class nouns (folded) with the features they point at, and their prepositions."""
    data = load_yaml("place_lists.yaml")
    nouns = {fold_phrase(n): frozenset(fs) for n, fs in data["anaphoric_nouns"].items()}
    return nouns, fold_set(data["anaphoric_prepositions"])


def _anaphoric_features(doc: Document, clause: tuple[int, int]) -> frozenset[str] | None:
    """The features an anaphoric ``في المدينة`` / ``بالبلدة`` of the clause points back at, if any."""
    nouns, preps = _anaphora()
    ws = [w.strip(_PUNCTUATION) for w in folded_between(doc, clause[0], clause[1])]
    same = _same_place_phrases()
    clitics, bi = markers().anaphora_clitics, markers().bi_clitic
    for prev, w, nxt in zip(["", *ws], ws, [*ws[1:], ""], strict=False):
        if f"{w.lstrip(clitics)} {nxt}" in same or f"{w} {nxt}" in same:
            return _ANY_FEATURE
        if w in nouns and prev in preps:
            return nouns[w]
        if w[:1] == bi and w[1:] in nouns and bi in preps:
            return nouns[w[1:]]
    return None


def place_pointed_back(doc: Document, span: tuple[int, int], places: list[Mention]) -> list[Mention]:
    """``اندلعت اشتباكات في المدينة`` with no place of its own: the last city the article named.

    ``span`` is the event word's clause; the place must be named before it.
    """
    features = _anaphoric_features(doc, span)
    if features is None:
        return []
    earlier = [
        p
        for p in places
        if p.end <= span[0] and (features is _ANY_FEATURE or p.data.get("feature") in features)
    ]
    return earlier[-1:]
