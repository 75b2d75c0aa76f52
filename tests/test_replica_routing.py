"""Who reads where with a read replica: the decisions, without servers.

tests/resilience/test_read_replica.py runs the same rules against a real streaming standby.
"""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from actualites import replica
from articles.models import Article


@pytest.fixture
def with_replica(monkeypatch):
    # As with DATABASE_REPLICA_URL set: nothing here connects to the standby.
    monkeypatch.setattr(replica, "configured", lambda: True)


def plan_seen(request, *, status=200):
    """Run the middleware; return what a read would have been allowed, and the response."""
    seen = {}

    def view(request):
        plan = replica._plan.get()
        seen["standby_allowed"] = plan.standby_allowed
        return HttpResponse(status=status)

    response = replica.ReplicaReadsMiddleware(view)(request)
    return seen["standby_allowed"], response


def test_outside_a_request_every_read_goes_to_the_primary():
    # The tasks worker and management commands never pass through the middleware.
    router = replica.ReplicaRouter()
    assert router.db_for_read(Article) == "default"
    assert router.db_for_write(Article) == "default"
    assert router.allow_migrate("replica", "articles") is False
    assert router.allow_migrate("default", "articles") is True


def test_a_readers_page_may_read_the_standby_but_not_the_newsroom_or_the_admin(with_replica):
    factory = RequestFactory()
    assert plan_seen(factory.get("/rubrique/politique/"))[0] is True
    assert plan_seen(factory.head("/"))[0] is True
    staff = factory.get("/rubrique/politique/", HTTP_COOKIE="sessionid=abc")
    assert plan_seen(staff)[0] is False
    assert plan_seen(factory.get("/admin/"))[0] is False
    assert plan_seen(factory.get("/apercu/12/"))[0] is False
    assert plan_seen(factory.post("/newsletter/", {"email": "a@exemple.fr"}))[0] is False


def test_a_readers_successful_post_pins_their_next_pages_to_the_primary(with_replica, settings):
    factory = RequestFactory()
    _, answer = plan_seen(factory.post("/commentaires/articles/1/envoyer/"), status=302)
    cookie = answer.cookies[replica.PIN_COOKIE]
    assert cookie["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    assert cookie["httponly"]

    pinned = factory.get(
        "/articles/un-article/", HTTP_COOKIE=f"{replica.PIN_COOKIE}={cookie.value}"
    )
    allowed, page = plan_seen(pinned)
    assert allowed is False
    assert not page.cookies, "the page itself stays the same for every reader"

    forged = factory.get("/articles/un-article/", HTTP_COOKIE=f"{replica.PIN_COOKIE}=1")
    assert plan_seen(forged)[0] is True


def test_a_refused_post_or_a_newsroom_post_pins_nothing(with_replica):
    factory = RequestFactory()
    _, refused = plan_seen(factory.post("/commentaires/articles/1/envoyer/"), status=400)
    assert replica.PIN_COOKIE not in refused.cookies
    staff = factory.post("/admin/articles/article/1/change/", HTTP_COOKIE="sessionid=abc")
    _, answer = plan_seen(staff, status=302)
    assert replica.PIN_COOKIE not in answer.cookies


def test_without_a_replica_the_middleware_steps_aside():
    from django.core.exceptions import MiddlewareNotUsed

    with pytest.raises(MiddlewareNotUsed):
        replica.ReplicaReadsMiddleware(lambda request: HttpResponse())
