import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from newsroom.roles import EDITORS
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_and_ckeditor_run_without_csp_violations(live_server, page, settings):
    settings.DEMO_MODE = False
    call_command("load_demo", stdout=open("/dev/null", "w"))
    editor = make_user(username="chef", is_staff=True, password="Mot-de-passe-solide-42")
    editor.groups.add(Group.objects.get(name=EDITORS))
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )

    for path in (
        "/",
        "/articles/rencontre-poutine-trump-alaska/",
        "/rubrique/politique/",
        "/qui-sommes-nous/",
    ):
        page.goto(live_server.url + path)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "chef")
    page.fill("#id_password", "Mot-de-passe-solide-42")
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/articles/article/add/")
    editable = page.locator(".ck-editor__editable")
    editable.click()
    page.keyboard.type("Un paragraphe saisi sous CSP.")
    page.locator("#id_title").fill("Titre")

    assert "Un paragraphe saisi sous CSP." in editable.inner_text()
    assert problems == []
