"""The guard shared by the comment form and the newsletter signup (public_forms/guard.py)."""

import json
from datetime import timedelta

import pytest
from django.core import signing
from django.test import RequestFactory
from django.utils import timezone

from public_forms import guard
from public_forms.guard import Refusal

LIMITS = {"min_seconds": 3, "max_age": 3600}


def check(token, form="comment-1"):
    return guard.check_token(token, form=form, **LIMITS)


def test_a_token_is_accepted_once_a_person_could_have_typed(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    token = guard.issue_token("comment-1")

    time_machine.shift(timedelta(seconds=2.9))
    assert check(token) == Refusal.TOO_FAST
    time_machine.shift(timedelta(seconds=0.2))
    assert check(token) is None


def test_a_token_older_than_the_window_has_expired(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    token = guard.issue_token("comment-1")

    time_machine.shift(timedelta(seconds=3601))

    assert check(token) == Refusal.EXPIRED


def test_no_token_is_told_apart_from_a_bad_one():
    assert check("") == Refusal.MISSING


@pytest.mark.parametrize(
    "token",
    [
        signing.dumps({"f": "comment-2", "t": 0}, salt=guard.SALT),  # another form's
        signing.dumps({"f": "comment-1", "t": 0}, salt="ailleurs"),  # not signed by us
        signing.dumps("n'importe quoi", salt=guard.SALT),
        signing.dumps({"f": "comment-1", "t": "hier"}, salt=guard.SALT),
        "1:abc:def",
    ],
)
def test_a_token_for_another_form_or_not_ours_is_invalid(token):
    assert check(token) == Refusal.INVALID


def test_the_token_answer_is_kept_by_no_cache_and_reads_no_database():
    # No django_db mark: a query would raise.
    response = guard.token_response("newsletter")

    assert response["Content-Type"] == "application/json"
    assert {"no-store", "private"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    token = json.loads(response.content)["token"]
    assert guard.check_token(token, form="newsletter", min_seconds=0, max_age=60) is None


@pytest.mark.parametrize(
    ("origin", "same"),
    [
        (None, True),  # a browser that does not say: the other checks still apply
        ("http://testserver", True),  # the host asked
        ("https://www.exemple.fr", True),  # SITE_URL
        ("https://partenaire.example", True),  # CSRF_TRUSTED_ORIGINS
        ("https://pirate.example", False),
        ("null", False),
    ],
)
def test_posts_from_our_own_pages_only(settings, origin, same):
    settings.SITE_URL = "https://www.exemple.fr"
    settings.CSRF_TRUSTED_ORIGINS = ["https://partenaire.example"]
    headers = {"Origin": origin} if origin else {}
    request = RequestFactory().post("/", headers=headers)

    assert guard.same_origin(request) is same


def test_the_rate_limit_counts_per_form_and_per_address():
    counts = [guard.over_limit("comments", "203.0.113.7", limit=2, window=600) for _ in range(3)]

    assert counts == [False, False, True]
    assert not guard.over_limit("comments", "198.51.100.9", limit=2, window=600)
    assert not guard.over_limit("newsletter", "203.0.113.7", limit=2, window=600)


def test_the_rate_limit_window_ends(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(2):
        guard.over_limit("comments", "203.0.113.7", limit=1, window=600)

    time_machine.shift(timedelta(seconds=601))

    assert not guard.over_limit("comments", "203.0.113.7", limit=1, window=600)


def test_a_post_from_another_site_is_refused_before_it_is_counted():
    factory = RequestFactory()
    elsewhere = factory.post("/", headers={"Origin": "https://pirate.example"})
    ours = factory.post("/", REMOTE_ADDR="203.0.113.7")

    assert guard.check_request(elsewhere, scope="comments", limit=1, window=600) == (
        Refusal.CROSS_ORIGIN
    )
    assert guard.check_request(ours, scope="comments", limit=1, window=600) is None
    assert guard.check_request(ours, scope="comments", limit=1, window=600) == (
        Refusal.RATE_LIMITED
    )


def test_the_honeypot_is_optional_and_out_of_the_way_of_keyboards():
    field = guard.HoneypotField()
    html = field.widget.render("website", "")

    assert not field.required
    assert field.label == "Ne remplissez pas ce champ"
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html
