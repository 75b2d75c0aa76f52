"""A helper shared by the tests of what public caches keep (pages and API); their fixtures,
page_cache_on, caches_on and cache_layer, are in tests/conftest.py."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def get(client, url, **headers):
    """The response, with the number of SQL queries it took in `response.queries`."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    response.queries = len(queries)
    return response
