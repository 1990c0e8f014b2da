"""A search that matches too much to count stays fast and says so, never a wrong exact figure.

The limits are 500 in production; here they are lowered so a few records cross them.
"""

import pytest

from directory import search
from directory.models import Region, Service
from tests import factories


@pytest.fixture
def otters(db):
    """Seven services that say “otter”, four of them free, five in Aurora."""
    aurora = factories.make_region(slug="aurora-limits", name_en="Aurora",
                                   kind=Region.Kind.CITY)
    made = []
    for n in range(7):
        service = factories.make_service(
            name_en=f"Otter clinic {n}",
            cost=Service.Cost.FREE if n % 2 == 0 else Service.Cost.PAID)
        if n < 5:
            service.areas_served.add(aurora)
        made.append(service)
    return {"aurora": aurora, "services": made}


def test_below_the_limits_every_figure_is_exact(otters):
    result = search.search("otter", language="en")
    assert (result.total, result.total_is_capped, result.facets_are_capped) == (7, False, False)
    assert result.facets["region"][otters["aurora"].pk] == 5
    assert result.facets["is_free"] == 4


def test_past_the_limits_counts_are_lower_bounds_and_the_total_says_more(otters, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    monkeypatch.setattr(search, "FACET_SAMPLE", 3)
    result = search.search("otter", language="en", per_page=2)
    assert (result.total, result.total_is_capped, result.facets_are_capped) == (3, True, True)
    assert (len(result.entries), result.num_pages) == (2, 2)
    assert sum(result.facets["kind"].values()) <= 4  # the sample: the limit and one more
    assert result.facets["region"].get(otters["aurora"].pk, 0) <= 5
    assert result.facets["is_free"] <= 4

    # A page past the end gives the last page of the ranked first three.
    last = search.search("otter", language="en", per_page=2, page=9)
    assert (last.page, len(last.entries), last.total_is_capped) == (2, 1, True)

    # A filter narrows below the limit: the total is exact again, the counts still sampled.
    free = search.search("otter", language="en", filters=search.Filters(
        is_free=True, region=otters["aurora"].pk))
    assert (free.total, free.total_is_capped) == (3, False)  # services 0, 2 and 4


def test_the_page_says_more_than_and_marks_counts_as_at_least(client, otters, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    monkeypatch.setattr(search, "FACET_SAMPLE", 3)
    html = client.get("/en/search/", {"q": "otter"}).content.decode()
    assert "More than 3 results" in html
    assert "followed by + means at least that many" in html
    assert "Free of charge (" in html and "+)" in html
