import pytest
from django.urls import reverse

from alerts.models import CapMessage, Notice, NoticeTemplate
from tests import factories
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:alerts_notice_changelist"


def logged_in(client, user):
    return factories.login_staff(client, user)


def change_url(notice):
    return reverse("admin:alerts_notice_change", args=[notice.pk])


def run_action(client, action, notices, **extra):
    return client.post(reverse(CHANGELIST), {
        "action": action, "_selected_action": [str(n.pk) for n in notices], **extra,
    }, follow=True)


def test_an_editor_drafts_but_is_offered_no_way_to_publish(client):
    client = logged_in(client, factories.make_editor())
    page = client.get(reverse("admin:alerts_notice_add"))
    data = form_data(page)
    data.update({"title_en": "Session", "title_es": "Taller", "summary_en": "Free session.",
                 "summary_es": "Taller gratis.", "severity": "information",
                 "certainty": "confirmed"})
    assert client.post(reverse("admin:alerts_notice_add"), data).status_code == 302
    notice = Notice.objects.get(title_en="Session")
    changelist = client.get(reverse(CHANGELIST)).content.decode()
    assert "publish_notices" not in changelist
    run_action(client, "publish_notices", [notice])
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DRAFT


def test_an_editor_cannot_edit_a_published_notice(client):
    notice = factories.make_public_notice()
    editor = logged_in(client, factories.make_editor())
    page = editor.get(change_url(notice))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = editor.post(change_url(notice), {"title_en": "Hijacked"})
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.title_en != "Hijacked"


def test_a_publisher_edit_of_a_published_notice_is_a_new_version_and_cap_update(client):
    publisher = factories.make_publisher()
    notice = factories.make_public_notice(publisher=publisher)
    client = logged_in(client, publisher)
    versions = notice.history.count()
    data = form_data(client.get(change_url(notice)))
    data["summary_es"] = "Corregido: lo que pasó."
    assert client.post(change_url(notice), data).status_code == 302
    notice.refresh_from_db()
    assert notice.summary_es == "Corregido: lo que pasó."
    assert notice.history.count() > versions
    assert notice.cap_messages.last().msg_type == CapMessage.MessageType.UPDATE


def test_a_phone_number_in_the_body_needs_a_second_look(client):
    client = logged_in(client, factories.make_publisher())
    data = form_data(client.get(reverse("admin:alerts_notice_add")))
    data.update({"title_en": "Raid", "title_es": "Redada", "summary_en": "Agents seen.",
                 "summary_es": "Agentes vistos.", "body_en": "Call Maria at 720-555-0199.",
                 "severity": "advisory", "certainty": "confirmed"})
    refused = client.post(reverse("admin:alerts_notice_add"), data)
    assert refused.status_code == 200
    assert "phone number" in refused.content.decode()
    assert not Notice.objects.exists()
    data["publish_despite_warnings"] = "on"
    assert client.post(reverse("admin:alerts_notice_add"), data).status_code == 302
    assert Notice.objects.count() == 1


def test_a_template_fills_the_new_notice_in_both_languages(client):
    client = logged_in(client, factories.make_editor())
    template = NoticeTemplate.objects.get(name_en="Know-your-rights session")
    page = client.get(reverse("admin:alerts_notice_add"), {"template": template.pk})
    form = page.context["adminform"].form
    assert form.initial["title_en"] == template.title_en
    assert form.initial["title_es"] == template.title_es
    assert form.initial["severity"] == template.severity
    assert f"?template={template.pk}" in client.get(
        reverse("admin:alerts_notice_add")).content.decode()


def test_urgent_publication_waits_for_a_second_publisher_in_the_admin(client):
    first, second = factories.make_publisher(), factories.make_publisher()
    notice = factories.make_notice(severity=Notice.Severity.URGENT,
                                   confirmed_by=factories.make_organization())
    run_action(logged_in(client, first), "publish_notices", [notice])
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DRAFT
    index = client.get(reverse("admin:index")).content.decode()
    assert "Waiting for a second publisher" in index
    assert notice.title in index
    run_action(logged_in(client, second), "approve_notices", [notice])
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PUBLISHED
    assert notice.approved_by == second


def test_publish_alone_needs_a_reason_and_shows_for_review(client):
    publisher = factories.make_publisher()
    notice = factories.make_notice(severity=Notice.Severity.URGENT,
                                   confirmed_by=factories.make_organization())
    client = logged_in(client, publisher)
    run_action(client, "publish_notices_alone", [notice], reason="")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DRAFT
    run_action(client, "publish_notices_alone", [notice], reason="Raid under way")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PUBLISHED
    assert "Published alone in an emergency" in client.get(reverse("admin:index")).content.decode()


def test_withdraw_every_urgent_notice_in_one_step(client):
    urgent = factories.make_public_notice(severity=Notice.Severity.URGENT)
    url = reverse("admin:alerts_notice_withdraw_urgent")
    assert logged_in(client, factories.make_editor()).post(url).status_code == 403
    client = logged_in(client, factories.make_publisher())
    assert urgent.title in client.get(url).content.decode()
    client.post(url)
    urgent.refresh_from_db()
    assert urgent.status == Notice.Status.WITHDRAWN
