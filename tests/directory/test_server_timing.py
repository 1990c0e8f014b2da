"""The search page says how long the server took, for `make bench` and for anyone curious."""

import re

from tests import factories

METRIC = re.compile(r"^(?P<name>[a-z]+);dur=(?P<ms>\d+(?:\.\d+)?)$")


def server_timing(response):
    """The header as {name: milliseconds}; fails on anything that does not parse."""
    metrics = {}
    for part in response["Server-Timing"].split(","):
        found = METRIC.match(part.strip())
        assert found, response["Server-Timing"]
        metrics[found["name"]] = float(found["ms"])
    return metrics


def test_a_search_sends_its_server_time_and_the_whole_view_s(client, db):
    factories.make_service(name_en="Otter clinic")
    response = client.get("/en/search/", {"q": "otter"})
    assert response.status_code == 200
    metrics = server_timing(response)
    assert set(metrics) == {"search", "total"}
    assert 0 <= metrics["search"] <= metrics["total"]


def test_filters_alone_are_timed_and_an_empty_page_times_only_the_view(client, db):
    factories.make_service(name_en="Otter clinic")
    assert set(server_timing(client.get("/en/search/", {"free": "1"}))) == {"search", "total"}
    assert set(server_timing(client.get("/es/search/"))) == {"total"}
