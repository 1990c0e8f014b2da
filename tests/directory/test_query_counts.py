"""Each page type runs the same number of queries with 2 records of every kind as with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import (
    Category,
    DetentionFacility,
    Hotline,
    LegalFund,
    Organization,
    Policy,
    Service,
)
from tests import factories

# The pinned number of SQL queries per page type, whatever the data size. Every page
# counts one for the urgent-notice banner; home, detail and region pages one more for
# their notices (two on region pages: the sub-regions, then the notices).
EXPECTED_QUERIES = {
    "home": 10,
    "hotline-list": 4,
    "organization-list": 3,
    "enforcement-list": 3,
    "service-list": 3,
    "legalfund-list": 3,
    "detentionfacility-list": 3,
    "policy-list": 3,
    "region-list": 2,
    "category-list": 2,
    "about": 3,  # the sources come a page at a time, with their count
    "organization-detail": 16,
    "hotline-detail": 10,
    "service-detail": 9,
    "legalfund-detail": 7,
    "detentionfacility-detail": 8,
    "policy-detail": 6,
    "region-detail": 12,
    "category-detail": 9,
    "search": 7,
    "sitemap": 9,
}


def page_paths(relations):
    """One address per page type, for the directory built by make_full_directory."""
    def first(model):
        return model.objects.order_by("slug").first().get_absolute_url()

    return {
        "home": "/en/",
        "hotline-list": "/en/hotlines/",
        "organization-list": "/en/organizations/",
        "enforcement-list": "/en/organizations/enforcement/",
        "service-list": "/en/services/",
        "legalfund-list": "/en/legal-funds/",
        "detentionfacility-list": "/en/detention-facilities/",
        "policy-list": "/en/policies/",
        "region-list": "/en/regions/",
        "category-list": "/en/categories/",
        "about": "/en/about/",
        "organization-detail": relations["verifier"].get_absolute_url(),
        "hotline-detail": first(Hotline),
        "service-detail": first(Service),
        "legalfund-detail": first(LegalFund),
        "detentionfacility-detail": first(DetentionFacility),
        "policy-detail": first(Policy),
        "region-detail": relations["region"].get_absolute_url(),
        "category-detail": relations["category"].get_absolute_url(),
        "search": "/en/search/?q=Service",
        "sitemap": "/sitemap.xml",
    }


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def measure(client, count):
    relations = factories.make_full_directory(count)
    # The organization page under test owns records of every kind too.
    owner = Organization.objects.filter(parent=relations["verifier"]).first()
    relations["verifier"] = owner
    client.get("/en/")  # warm caches that are per process, not per page (content types…)
    return {name: count_queries(client, path) for name, path in page_paths(relations).items()}


@pytest.mark.django_db
def test_query_counts_are_pinned_and_do_not_grow_with_the_data(client):
    small = measure(client, 2)
    Category.objects.all().delete()
    for model in (Policy, DetentionFacility, LegalFund, Service, Hotline):
        model.objects.all().delete()
    Organization.objects.all().delete()
    large = measure(client, 50)
    assert small == large
    assert large == EXPECTED_QUERIES
