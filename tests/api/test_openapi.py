"""schemathesis against the served OpenAPI document: every operation, every check."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Loaded through the application, as a partner would load it; the document needs no data.
schema = schemathesis.openapi.from_wsgi("/api/hsds/openapi.json", get_wsgi_application())


@pytest.fixture
def test_connection_kept():
    """The application closes connections between requests; the test's holds its data."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(max_examples=15, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture,
                                            HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_every_operation_answers_as_its_openapi_document_says(case, hsds_directory, settings,
                                                              test_connection_kept):
    # Hundreds of requests from one client: far past the public limit.
    settings.HSDS_API_RATE_LIMIT = 1_000_000
    case.call_and_validate()
