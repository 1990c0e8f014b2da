"""Deploy settings, staff accounts that resist takeover, and history that can be undone."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory import reviewing
from directory.models import PendingChange
from tests import factories

PASSWORD = "a long staff password"


def production_environment():
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return {**clean, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "amparo.example.org",
            "DJANGO_SITE_URL": "https://amparo.example.org",
            "DJANGO_SMTP_HOST": "smtp.example.org"}


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=production_environment(), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_console_email_in_production():
    env = {**production_environment(), "DJANGO_DEBUG": ""}
    env.pop("DJANGO_SMTP_HOST")
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; "
         "print(settings.MAILERS['default']['BACKEND'])"],
        cwd=settings.BASE_DIR, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True, text=True)
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"


def make_staff(username, *group_names, **fields):
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD,
                                    is_staff=True, **fields)
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


def log_in(client, username, password=PASSWORD, token=""):
    return client.post(reverse("admin:login"), {
        "username": username, "password": password, "otp_token": token,
        "next": reverse("admin:index")})


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account(client):
    make_staff("editor", "Editors")
    answers = [log_in(client, "editor", "wrong password").status_code for _attempt in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    locked = log_in(client, "editor")
    assert locked.status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_an_editor_signs_in_with_a_password_and_cannot_touch_accounts(client):
    make_staff("editor", "Editors")
    assert log_in(client, "editor").status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    for name in ("auth_user_changelist", "auth_group_changelist", "auth_user_add"):
        assert client.get(reverse(f"admin:{name}")).status_code == 403


@pytest.mark.django_db
def test_a_publisher_without_a_second_factor_cannot_reach_the_admin(client):
    make_staff("publisher", "Publishers")
    refused = log_in(client, "publisher")
    assert refused.status_code == 200
    assert "needs a second factor" in refused.content.decode()
    client.force_login(User.objects.get(username="publisher"))
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_a_publisher_signs_in_with_an_authenticator_code(client):
    publisher = make_staff("publisher", "Publishers")
    device = TOTPDevice.objects.create(user=publisher, name="phone", confirmed=True)
    assert log_in(client, "publisher", token="000000").status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code slows the next try; the test does not wait
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert log_in(client, "publisher", token=code).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_an_administrator_needs_a_second_factor_too(client):
    make_staff("admin", "Administrators")
    assert "needs a second factor" in log_in(client, "admin").content.decode()


@pytest.mark.django_db
def test_password_reset_sends_a_link_by_email(client):
    make_staff("editor", "Editors")
    response = client.post(reverse("admin_password_reset"), {"email": "editor@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/admin/password-reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_hotline_change_is_in_its_history_and_can_be_reverted(admin_client):
    hotline = factories.make_hotline(phone="+13035550100")
    hotline.phone = "+17205550199"
    hotline.save()
    history = list(hotline.history.order_by("history_date"))
    assert [row.phone.as_e164 for row in history] == ["+13035550100", "+17205550199"]
    original = history[0]
    url = reverse("admin:directory_hotline_simple_history", args=[hotline.pk, original.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    from tests.admin_forms import form_data

    assert admin_client.post(url, form_data(page)).status_code == 302
    # Reverting a number is a change that can hurt: it waits for a second person.
    change = PendingChange.objects.waiting().get()
    assert change.changes["phone"]["new"] == "+13035550100"
    reviewing.approve(change, user=factories.make_publisher())
    hotline.refresh_from_db()
    assert hotline.phone == "+13035550100"
    assert hotline.history.count() == 4


@pytest.mark.django_db
def test_sessions_end_with_the_browser_or_a_working_day():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
