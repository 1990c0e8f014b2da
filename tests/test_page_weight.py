"""What a visitor on a slow, metered phone downloads first (issue 6): the one stylesheet
stays at most 15,000 bytes before compression, and the home page's HTML at most 40,000
bytes in either language, even with more records than it lists and notices in effect."""

import pytest
from django.conf import settings

from tests.factories import make_full_directory
from tests.page_types import LANGUAGES, populate

CSS_BUDGET = 15_000
HOME_BUDGET = 40_000


def test_the_stylesheet_is_at_most_15000_bytes_before_compression():
    size = (settings.BASE_DIR / "static/css/site.css").stat().st_size
    assert size <= CSS_BUDGET, f"site.css is {size:,} bytes; the budget is {CSS_BUDGET:,}"


@pytest.mark.django_db
def test_the_home_page_is_at_most_40000_bytes_with_a_full_directory(client):
    populate()  # the sample data, an urgent notice (its banner) and a correction
    make_full_directory(8)  # more of each kind than the home page lists (6), 8 featured lines
    for language in LANGUAGES:
        response = client.get(f"/{language}/")
        assert response.status_code == 200
        size = len(response.content)
        assert size <= HOME_BUDGET, f"/{language}/ is {size:,} bytes; the budget is {HOME_BUDGET:,}"
