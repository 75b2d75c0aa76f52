"""Two-factor authentication (TOTP) for the admin: enrolment, login, the administrators' policy."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom import twofactor
from newsroom.models import SecurityPolicy
from tests.factories import make_article, make_editor, make_journalist, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Mot-de-passe-solide-42"
MANAGE = "/admin/double-authentification/"
REMOVE = "/admin/double-authentification/supprimer/"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    """Codes change every 30 seconds: time stands still unless a test moves it on."""
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC), tick=False)
    return time_machine


def next_period(frozen):
    # A code is accepted once; the next one comes with the next 30-second step.
    frozen.shift(timedelta(seconds=30))


def code_for(device):
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def wrong_code_for(device):
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)


def log_in(client, username, code=None, password=PASSWORD, next="/admin/"):
    data = {"username": username, "password": password, "next": next}
    if code is not None:
        data["otp_token"] = code
    return client.post(reverse("admin:login"), data, REMOTE_ADDR="203.0.113.9")


def require(editors=False, journalists=False):
    SecurityPolicy(
        require_two_factor_for_editors=editors, require_two_factor_for_journalists=journalists
    ).save()


def is_logged_in(client):
    return client.get("/admin/").status_code == 200


class TestEnrolment:
    def test_enrolment_page_shows_a_qr_code_and_the_secret_of_an_inactive_device(self, client):
        editor = make_editor(username="marc")
        client.force_login(editor)

        response = client.get(MANAGE)

        device = TOTPDevice.objects.get(user=editor)
        page = response.content.decode()
        assert response.status_code == 200
        assert not device.confirmed
        assert twofactor.secret_text(device) in page
        assert 'src="data:image/svg+xml' in page
        assert "Activer la double authentification" in page
        # Coming back shows the same secret, not a new one the app does not know.
        assert twofactor.secret_text(device) in client.get(MANAGE).content.decode()
        assert TOTPDevice.objects.filter(user=editor).count() == 1

    def test_secret_is_the_one_of_the_otpauth_address_with_the_newsroom_as_issuer(self):
        device = enrolled(make_user(username="marc"))

        url = device.config_url

        assert url.startswith("otpauth://totp/Actualit%C3%A9s%20Express%3Amarc?")
        assert "secret=" + twofactor.secret_text(device).replace(" ", "") in url

    def test_a_valid_first_code_confirms_the_device_and_verifies_the_session(self, client):
        editor = make_editor(username="marc")
        client.force_login(editor)
        client.get(MANAGE)
        device = TOTPDevice.objects.get(user=editor)

        response = client.post(MANAGE, {"code": code_for(device), "next": "/admin/articles/"})

        device.refresh_from_db()
        assert response.status_code == 302
        assert response["Location"] == "/admin/articles/"
        assert device.confirmed
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert "La double authentification est activée." in client.get("/admin/").content.decode()

    def test_a_wrong_first_code_is_refused_and_the_device_stays_inactive(self, client):
        editor = make_editor(username="marc")
        client.force_login(editor)
        client.get(MANAGE)
        device = TOTPDevice.objects.get(user=editor)
        wrong = wrong_code_for(device)

        response = client.post(MANAGE, {"code": wrong})

        device.refresh_from_db()
        page = response.content.decode()
        assert response.status_code == 200
        assert "Code de vérification incorrect ou expiré" in page
        assert f'value="{wrong}"' in page
        assert not device.confirmed
        assert twofactor.confirmed_device(editor) is None

    def test_an_empty_code_gets_a_french_message(self, client):
        client.force_login(make_editor())

        response = client.post(MANAGE, {"code": ""})

        assert "Saisissez le code à six chiffres" in response.content.decode()

    def test_enrolment_page_needs_a_staff_login(self, client):
        response = client.get(MANAGE)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert not TOTPDevice.objects.exists()

    def test_every_admin_page_links_to_the_two_factor_page(self, client):
        client.force_login(make_journalist())

        page = client.get("/admin/").content.decode()

        assert f'<a href="{MANAGE}">Double authentification</a>' in page


class TestLogin:
    def test_login_form_offers_an_optional_verification_code(self, client):
        page = client.get(reverse("admin:login")).content.decode()

        assert "Code de vérification" in page
        assert 'name="otp_token"' in page
        assert 'autocomplete="one-time-code"' in page

    def test_user_without_device_logs_in_with_the_password_alone(self, client):
        make_journalist(username="julie")

        response = log_in(client, "julie")

        assert response.status_code == 302
        assert is_logged_in(client)

    @pytest.mark.parametrize("code", [None, "", "wrong"])
    def test_user_with_a_device_is_refused_without_a_valid_code(self, client, code):
        device = enrolled(make_editor(username="marc"))
        if code == "wrong":
            code = wrong_code_for(device)

        response = log_in(client, "marc", code=code)

        page = response.content.decode()
        assert response.status_code == 200
        assert "double authentification" in page or "Code de vérification incorrect" in page
        assert 'value="marc"' in page
        assert not is_logged_in(client)

    def test_missing_code_message_says_what_to_do(self, client):
        enrolled(make_editor(username="marc"))

        page = log_in(client, "marc").content.decode()

        assert "saisissez aussi le code de vérification" in page

    def test_user_with_a_device_logs_in_with_a_valid_code_and_the_session_is_verified(self, client):
        device = enrolled(make_editor(username="marc"))

        response = log_in(client, "marc", code=code_for(device))

        assert response.status_code == 302
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert client.get(reverse("admin:articles_article_changelist")).status_code == 200

    def test_a_code_is_accepted_only_once(self, client):
        device = enrolled(make_editor(username="marc"))
        code = code_for(device)
        log_in(client, "marc", code=code)
        client.post(reverse("admin:logout"))

        response = log_in(client, "marc", code=code)

        assert response.status_code == 200
        assert "Code de vérification incorrect ou expiré" in response.content.decode()

    def test_a_code_does_not_log_in_with_a_wrong_password(self, client):
        device = enrolled(make_editor(username="marc"))

        response = log_in(client, "marc", code=code_for(device), password="mauvais")

        assert response.status_code == 200
        assert not is_logged_in(client)
        # The code was not even looked at: it is still good.
        device.refresh_from_db()
        assert device.last_t == -1

    def test_wrong_codes_count_as_failed_logins_for_axes(self, client, settings, frozen):
        device = enrolled(make_editor(username="marc"))
        make_editor(username="colette")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert log_in(client, "marc", code=wrong_code_for(device)).status_code == 200
            next_period(frozen)
        assert log_in(client, "marc", code=wrong_code_for(device)).status_code == 429
        next_period(frozen)

        locked = log_in(client, "marc", code=code_for(device))

        assert locked.status_code == 429
        assert "Connexion temporairement bloquée" in locked.content.decode()
        assert not is_logged_in(client)
        # Only that account is locked from that address.
        assert log_in(client, "colette").status_code == 302

    def test_repeated_wrong_codes_are_slowed_down(self, client, frozen):
        device = enrolled(make_editor(username="marc"))
        log_in(client, "marc", code=wrong_code_for(device))

        # Right away, even the right code waits: django-otp throttles the device.
        response = log_in(client, "marc", code=code_for(device))

        assert "patientez quelques secondes" in response.content.decode()
        next_period(frozen)
        assert log_in(client, "marc", code=code_for(device)).status_code == 302

    def test_demo_accounts_log_in_without_two_factor(self, client, settings):
        settings.DEMO_MODE = True
        call_command("load_demo", stdout=open("/dev/null", "w"))

        response = log_in(client, "editeur", password="Editeur-demo-2025")

        assert response.status_code == 302
        assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


class TestPolicy:
    def test_editor_without_device_is_sent_to_enrolment_from_every_admin_page(self, client):
        require(editors=True)
        make_editor(username="marc")
        article = make_article()
        assert log_in(client, "marc").status_code == 302

        for path in (
            "/admin/",
            reverse("admin:articles_article_changelist"),
            reverse("admin:articles_article_change", args=[article.pk]),
            reverse("admin:password_change"),
            reverse("articles:preview", args=[article.pk]),
        ):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"].startswith(MANAGE + "?next="), path

        page = client.get(MANAGE).content.decode()
        assert "obligatoire pour votre rôle" in page
        assert client.post(reverse("admin:logout")).status_code == 200

    def test_editor_reaches_the_admin_once_enrolled(self, client):
        require(editors=True)
        editor = make_editor(username="marc")
        client.force_login(editor)
        changelist = reverse("admin:articles_article_changelist")
        client.get(MANAGE)

        response = client.post(
            MANAGE, {"code": code_for(TOTPDevice.objects.get(user=editor)), "next": changelist}
        )

        assert response["Location"] == changelist
        assert client.get(changelist).status_code == 200

    def test_requirement_for_editors_leaves_journalists_alone(self, client):
        require(editors=True)
        make_journalist(username="julie")

        log_in(client, "julie")

        assert client.get(reverse("admin:articles_article_changelist")).status_code == 200

    def test_journalist_option_requires_it_for_journalists(self, client):
        require(journalists=True)
        make_journalist(username="julie")
        make_editor(username="marc")

        log_in(client, "julie")
        response = client.get(reverse("admin:articles_article_changelist"))

        assert response.status_code == 302
        assert response["Location"].startswith(MANAGE)
        client.post(reverse("admin:logout"))
        log_in(client, "marc")
        assert client.get(reverse("admin:articles_article_changelist")).status_code == 200

    def test_a_session_of_someone_with_a_device_must_be_verified(self, client, frozen):
        editor = make_editor(username="marc")
        device = enrolled(editor)
        client.force_login(editor)  # e.g. a session opened before a superuser added the device

        response = client.get("/admin/")
        assert response["Location"] == MANAGE + "?next=%2Fadmin%2F"
        page = client.get(MANAGE).content.decode()
        assert "saisissez le code affiché par votre application" in page

        response = client.post(MANAGE, {"code": code_for(device), "next": "/admin/"})

        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200

    def test_next_address_stays_on_this_site(self, client):
        editor = make_editor()
        client.force_login(editor)
        client.get(MANAGE)

        response = client.post(
            MANAGE,
            {
                "code": code_for(TOTPDevice.objects.get(user=editor)),
                "next": "https://evil.example/",
            },
        )

        assert response["Location"] == "/admin/"

    def test_public_pages_ignore_the_policy(self, client):
        require(editors=True, journalists=True)
        client.force_login(make_editor())

        assert client.get("/").status_code == 200


class TestPolicyAdmin:
    def test_superuser_sets_the_policy_in_the_admin(self, client):
        client.force_login(make_user(is_staff=True, is_superuser=True))

        response = client.get(reverse("admin:newsroom_securitypolicy_changelist"))
        assert response["Location"] == reverse("admin:newsroom_securitypolicy_add")
        page = client.get(response["Location"]).content.decode()
        assert "Exiger la double authentification pour les éditeurs" in page
        client.post(
            reverse("admin:newsroom_securitypolicy_add"),
            {"require_two_factor_for_editors": "on"},
        )

        policy = SecurityPolicy.objects.get()
        assert policy.require_two_factor_for_editors
        assert not policy.require_two_factor_for_journalists
        response = client.get(reverse("admin:newsroom_securitypolicy_changelist"))
        assert response["Location"] == reverse(
            "admin:newsroom_securitypolicy_change", args=[policy.pk]
        )

    def test_editors_cannot_see_or_change_the_policy_even_with_the_permission(self, client):
        from django.contrib.auth.models import Permission

        require(editors=False)
        editor = make_editor()
        editor.user_permissions.add(
            *Permission.objects.filter(codename__endswith="_securitypolicy")
        )
        client.force_login(editor)
        change = reverse("admin:newsroom_securitypolicy_change", args=[1])

        assert client.get(change).status_code == 403
        assert client.post(change, {"require_two_factor_for_editors": ""}).status_code == 403
        assert "Politique de sécurité" not in client.get("/admin/").content.decode()
        assert not SecurityPolicy.current().require_two_factor_for_journalists

    def test_device_admin_is_for_superusers_only(self, client):
        from django.contrib.auth.models import Permission

        editor = make_editor()
        editor.user_permissions.add(*Permission.objects.filter(codename__endswith="totpdevice"))
        client.force_login(editor)
        devices = reverse("admin:otp_totp_totpdevice_changelist")

        assert client.get(devices).status_code == 403
        client.force_login(make_user(is_staff=True, is_superuser=True))
        assert client.get(devices).status_code == 200


class TestRemoval:
    @pytest.fixture
    def verified(self, client):
        editor = make_editor(username="marc")
        device = enrolled(editor)
        log_in(client, "marc", code=code_for(device))
        return device

    def test_active_page_offers_removal_with_a_code(self, client, verified):
        page = client.get(MANAGE).content.decode()

        assert (
            "La double authentification est activée pour votre compte depuis le 2 mars 2026" in page
        )
        assert f'action="{REMOVE}"' in page

    def test_removal_with_a_wrong_code_keeps_the_device(self, client, verified, frozen):
        next_period(frozen)

        response = client.post(REMOVE, {"code": wrong_code_for(verified)})

        assert response.status_code == 200
        assert "Code de vérification incorrect ou expiré" in response.content.decode()
        assert TOTPDevice.objects.filter(pk=verified.pk).exists()

    def test_removal_without_a_code_keeps_the_device(self, client, verified):
        response = client.post(REMOVE, {"code": ""})

        assert "Saisissez le code à six chiffres" in response.content.decode()
        assert TOTPDevice.objects.filter(pk=verified.pk).exists()

    def test_removal_with_a_current_code_deletes_the_device(self, client, verified, frozen):
        next_period(frozen)

        response = client.post(REMOVE, {"code": code_for(verified)})

        assert response["Location"] == MANAGE
        assert not TOTPDevice.objects.filter(user=verified.user).exists()
        assert DEVICE_ID_SESSION_KEY not in client.session
        # Nothing required any more: the admin opens, and the next login needs no code.
        assert client.get("/admin/").status_code == 200
        client.post(reverse("admin:logout"))
        assert log_in(client, "marc").status_code == 302

    def test_after_removal_the_policy_asks_for_a_new_device(self, client, verified, frozen):
        require(editors=True)
        next_period(frozen)

        client.post(REMOVE, {"code": code_for(verified)})

        assert client.get("/admin/")["Location"].startswith(MANAGE)
