"""The « Alerte info » banner: on every public page at once, gone at its end time by itself,
set by editors only, audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alerts import rules
from alerts.models import Alert, AlertEvent
from public_cache import invalidation
from tests.factories import make_article, make_editor, make_journalist
from tests.pages import assert_cacheable_and_csp_safe

pytestmark = pytest.mark.django_db

BANNER = 'class="alert-banner"'


@pytest.fixture
def editor():
    return make_editor(username="edith")


@pytest.fixture
def public_urls():
    article = make_article(title="Une dépêche ordinaire")
    return [
        reverse("articles:home"),
        article.get_absolute_url(),
        article.category.get_absolute_url(),
    ]


def set_alert(editor, **fields):
    fields.setdefault("text", "Séisme au large de Nice : la côte évacuée")
    return rules.save(Alert(**fields), by=editor)


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_alert_shows_at_once_on_pages_already_cached(client, editor, public_urls, cache_layer):
    for url in public_urls:
        assert BANNER not in html_of(client, url)

    set_alert(editor, link="/articles/seisme-nice/")

    for url in public_urls:
        response = client.get(url)
        html = response.content.decode()
        assert BANNER in html
        # French typography: a no-break space before the colon.
        assert "Séisme au large de Nice\u00a0: la côte évacuée" in html
        assert 'href="/articles/seisme-nice/"' in html
        assert 'role="region"' in html and 'aria-labelledby="alerte-info"' in html
        assert_cacheable_and_csp_safe(html)


def test_anonymous_readers_get_the_banner_from_the_page_cache(
    client, editor, public_urls, settings
):
    settings.PAGE_CACHE_ENABLED = True
    set_alert(editor)
    for url in public_urls:
        client.get(url)
        again = client.get(url)
        assert again["X-Page-Cache"] == "hit"
        assert BANNER in again.content.decode()


def test_the_banner_goes_away_at_its_end_time_without_anyone_acting(
    client, editor, public_urls, cache_layer, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    set_alert(editor, ends_at=timezone.now() + timedelta(minutes=2))
    for url in public_urls:
        assert BANNER in html_of(client, url)
        # Kept no longer than the alert lasts.
        assert "s-maxage=300" not in client.get(url).get("Cache-Control", "")

    time_machine.shift(timedelta(minutes=1, seconds=59))
    assert all(BANNER in html_of(client, url) for url in public_urls)

    time_machine.shift(timedelta(seconds=2))
    for url in public_urls:
        assert BANNER not in html_of(client, url)


def test_a_scheduled_alert_appears_at_its_start(
    client, editor, public_urls, cache_layer, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    set_alert(editor, starts_at=timezone.now() + timedelta(minutes=3))
    for url in public_urls:
        assert BANNER not in html_of(client, url)

    time_machine.shift(timedelta(minutes=3, seconds=1))
    for url in public_urls:
        assert BANNER in html_of(client, url)


def test_ending_an_alert_now_takes_it_off_every_page(client, editor, public_urls, cache_layer):
    alert = set_alert(editor)
    assert BANNER in html_of(client, public_urls[0])

    rules.end(alert, by=editor)

    for url in public_urls:
        assert BANNER not in html_of(client, url)
    assert AlertEvent.objects.filter(action=AlertEvent.Action.END, alert_id=alert.pk).exists()


def test_the_latest_alert_shown_wins(client, editor, public_urls):
    set_alert(editor, text="Première alerte", starts_at=timezone.now() - timedelta(hours=1))
    set_alert(editor, text="Seconde alerte")
    html = html_of(client, public_urls[0])
    assert "Seconde alerte" in html and "Première alerte" not in html


def test_the_alert_text_and_link_are_escaped(client, editor, public_urls):
    set_alert(editor, text='<script>alert("x")</script> & <b>gras</b>', link='/a/?"><img src=x>')
    html = html_of(client, public_urls[0])
    assert "<script>alert" not in html and "<b>gras</b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert '"><img' not in html


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//ailleurs.example/", "ftp://x.example/"])
def test_a_link_that_is_neither_ours_nor_the_web_is_refused_in_french(editor, link):
    with pytest.raises(ValidationError) as refused:
        set_alert(editor, link=link)
    assert "adresse du site" in str(refused.value)
    assert not Alert.objects.exists()


def test_an_end_before_the_start_is_refused(editor):
    with pytest.raises(ValidationError) as refused:
        set_alert(editor, ends_at=timezone.now() - timedelta(minutes=1))
    assert "La fin doit venir après le début" in str(refused.value)


def test_a_journalist_cannot_set_an_alert(client):
    journalist = make_journalist(username="jules")
    with pytest.raises(PermissionDenied):
        set_alert(journalist)

    client.force_login(journalist)
    assert client.get(reverse("admin:alerts_alert_add")).status_code == 403
    response = client.post(reverse("admin:alerts_alert_add"), _form("Une fausse alerte"))
    assert response.status_code == 403
    assert not Alert.objects.exists()
    assert "alerts/alert" not in client.get(reverse("admin:index")).content.decode()


def _form(text, **extra):
    now = timezone.localtime()
    return {
        "text": text,
        "link": "",
        "starts_at_0": now.strftime("%d/%m/%Y"),
        "starts_at_1": now.strftime("%H:%M:%S"),
        "ends_at_0": "",
        "ends_at_1": "",
        **extra,
    }


def test_an_editor_sets_an_alert_from_the_admin_and_it_is_audited(client, editor, public_urls):
    client.force_login(editor)
    response = client.post(reverse("admin:alerts_alert_add"), _form("Incendie à Marseille"))
    assert response.status_code == 302, response.content.decode()[:3000]

    alert = Alert.objects.get()
    assert alert.created_by == editor
    event = AlertEvent.objects.get()
    assert (event.action, event.actor, event.alert_id) == (AlertEvent.Action.SET, editor, alert.pk)
    assert event.after["text"] == "Incendie à Marseille" and event.before is None

    client.logout()
    assert "Incendie à Marseille" in html_of(client, public_urls[1])


def test_changing_and_deleting_an_alert_are_audited_with_before_and_after(client, editor):
    alert = set_alert(editor, text="Premier texte")
    alert.text = "Texte corrigé"
    rules.save(alert, by=editor)
    rules.delete(alert, by=editor)

    change, deletion = AlertEvent.objects.filter(
        action__in=[AlertEvent.Action.CHANGE, AlertEvent.Action.DELETE]
    ).order_by("pk")
    assert (change.before["text"], change.after["text"]) == ("Premier texte", "Texte corrigé")
    assert deletion.before["text"] == "Texte corrigé" and deletion.after is None

    client.force_login(editor)
    page = client.get(reverse("admin:alerts_alertevent_change", args=[change.pk]))
    assert page.status_code == 200
    assert "Premier texte → Texte corrigé" in page.content.decode()


def test_the_audit_trail_is_read_only_even_for_editors(client, editor):
    set_alert(editor)
    client.force_login(editor)
    assert client.get(reverse("admin:alerts_alertevent_add")).status_code == 403


def test_every_change_purges_the_pages_of_shared_caches_by_their_alert_key(editor, monkeypatch):
    purged = []
    # Said once, by the invalidation every rule calls.
    monkeypatch.setattr(invalidation, "purge_after_commit", lambda keys: purged.append(set(keys)))

    alert = set_alert(editor)
    rules.end(alert, by=editor)
    rules.delete(alert, by=editor)

    assert purged == [{"alert"}] * 3


def test_pages_name_the_alert_for_shared_caches(client, editor, public_urls):
    set_alert(editor)
    for url in public_urls:
        assert "alert" in client.get(url)["xkey"].split()
