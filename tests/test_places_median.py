"""The place resolver's centre of a list "without this member" (``geo.places._median_without``) is the
median of the other members, asked without copying the list (it was quadratic on long articles)."""

from __future__ import annotations

import statistics
from bisect import insort

from hypothesis import given
from hypothesis import strategies as st

from rasid.geo.places import _median_of_sorted, _median_without

coords = st.floats(min_value=-90, max_value=90, allow_nan=False)


@given(st.lists(coords, min_size=2, max_size=40), st.data())
def test_median_without_one_member_is_the_others_median(values: list[float], data: st.DataObject) -> None:
    ordered: list[float] = []
    for v in values:
        insort(ordered, v)
    x = data.draw(st.sampled_from(values))
    rest = list(values)
    rest.remove(x)
    assert _median_without(ordered, x) == statistics.median(rest)


@given(st.lists(coords, min_size=1, max_size=40))
def test_median_of_sorted(values: list[float]) -> None:
    assert _median_of_sorted(sorted(values)) == statistics.median(values)
