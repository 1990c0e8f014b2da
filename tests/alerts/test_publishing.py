import datetime
import logging

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from alerts import publishing
from alerts.models import CapMessage, Notice
from tests import factories

pytestmark = pytest.mark.django_db


def make_urgent(**overrides):
    fields = {"severity": Notice.Severity.URGENT, "certainty": Notice.Certainty.CONFIRMED,
              "confirmed_by": factories.make_organization()}
    return factories.make_notice(**{**fields, **overrides})


def test_staff_groups_come_from_the_migration_with_least_privilege():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename",
                                                                             flat=True))
    publishers = set(Group.objects.get(name="Publishers").permissions.values_list(
        "codename", flat=True))
    assert {"add_notice", "change_notice", "change_hotline"} <= editors
    assert "publish_notice" not in editors
    assert "publish_notice" in publishers
    assert not any(codename.startswith("delete_") for codename in editors | publishers)


def test_an_editor_cannot_publish():
    notice = factories.make_notice()
    with pytest.raises(publishing.PublishingError):
        publishing.publish(notice, user=factories.make_editor())
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DRAFT


def test_an_advisory_notice_is_published_by_one_publisher_with_default_expiry():
    publisher = factories.make_publisher()
    notice = publishing.publish(factories.make_notice(), user=publisher)
    assert notice.status == Notice.Status.PUBLISHED
    assert notice.expires_at - notice.publish_at == datetime.timedelta(days=7)
    assert notice.is_public
    assert list(notice.cap_messages.values_list("msg_type", flat=True)) == ["Alert"]


def test_urgent_means_confirmed_in_every_language():
    publisher = factories.make_publisher()
    unconfirmed = make_urgent(certainty=Notice.Certainty.BEING_CHECKED)
    with pytest.raises(publishing.PublishingError, match="confirmed"):
        publishing.publish(unconfirmed, user=publisher)
    untranslated = make_urgent(title_es="")
    # Named as the form labels the field, not by its column.
    with pytest.raises(publishing.PublishingError, match=r"empty: Title \[es\]\.$"):
        publishing.publish(untranslated, user=publisher)
    nobody_confirmed = make_urgent(confirmed_by=None)
    with pytest.raises(publishing.PublishingError, match="confirmed"):
        publishing.publish_alone(nobody_confirmed, user=publisher, reason="raid now")


def test_an_urgent_notice_needs_a_second_publisher():
    first, second = factories.make_publisher(), factories.make_publisher()
    notice = publishing.publish(make_urgent(), user=first)
    assert notice.status == Notice.Status.DRAFT
    assert notice.awaiting_approval_since is not None
    with pytest.raises(publishing.PublishingError, match="second publisher"):
        publishing.approve(notice, user=first)
    assert publishing.publish(notice, user=first).status == Notice.Status.DRAFT
    notice = publishing.approve(notice, user=second)
    assert notice.status == Notice.Status.PUBLISHED
    assert (notice.published_by, notice.approved_by) == (first, second)
    assert notice.expires_at - notice.publish_at == datetime.timedelta(hours=24)
    assert not notice.needs_review


def test_publishing_alone_is_logged_and_flagged_for_review(caplog):
    first, second = factories.make_publisher(), factories.make_publisher()
    notice = make_urgent()
    with pytest.raises(publishing.PublishingError, match="why"):
        publishing.publish_alone(notice, user=first, reason="  ")
    with caplog.at_level(logging.WARNING, logger="alerts.publishing"):
        notice = publishing.publish_alone(notice, user=first, reason="Raid under way now")
    assert notice.status == Notice.Status.PUBLISHED
    assert notice.needs_review
    assert notice.published_alone_because == "Raid under way now"
    assert "without a second publisher" in caplog.text
    assert notice.history.first().history_change_reason == "Published alone: Raid under way now"
    with pytest.raises(publishing.PublishingError):
        publishing.mark_reviewed(notice, user=first)
    assert not publishing.mark_reviewed(notice, user=second).needs_review


def test_one_action_withdraws_every_urgent_notice():
    publisher = factories.make_publisher()
    urgent = [factories.make_public_notice(severity=Notice.Severity.URGENT, publisher=publisher)
              for _ in range(2)]
    advisory = factories.make_public_notice(publisher=publisher)
    assert publishing.withdraw_all_urgent(user=publisher) == 2
    assert not Notice.objects.public().urgent().exists()
    assert Notice.objects.public().get() == advisory
    for notice in urgent:
        notice.refresh_from_db()
        assert notice.withdrawn_at is not None
        assert notice.cap_messages.last().msg_type == CapMessage.MessageType.CANCEL


def test_a_report_being_checked_names_no_place_and_no_time():
    notice = factories.make_notice(certainty=Notice.Certainty.BEING_CHECKED,
                                   place_en="Main Street",
                                   event_starts_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert {"place", "event_starts_at"} <= set(error.value.message_dict)


def test_found_false_publishes_a_linked_correction_where_the_original_was():
    publisher = factories.make_publisher()
    hotline, region = factories.make_hotline(), factories.make_region()
    original = factories.make_public_notice(severity=Notice.Severity.URGENT, publisher=publisher)
    original.hotlines.add(hotline)
    original.regions.add(region)
    correction = publishing.mark_found_false(original, user=publisher)
    original.refresh_from_db()
    assert original.status == Notice.Status.WITHDRAWN
    assert correction.corrects == original
    assert correction.certainty == Notice.Certainty.FOUND_FALSE
    assert correction.severity == original.severity
    assert correction.is_public
    assert list(Notice.objects.public().about(hotline)) == [correction]
    assert list(correction.regions.all()) == [region]
    assert correction.title_es.startswith("Falso:") or correction.title_es != correction.title_en
    update = correction.cap_messages.get()
    assert update.msg_type == CapMessage.MessageType.UPDATE
    assert original.cap_messages.first() in update.earlier_messages()


def test_editing_a_published_notice_sends_an_update():
    publisher = factories.make_publisher()
    notice = factories.make_public_notice(publisher=publisher)
    stamped = notice.updated_for_visitors_at
    publishing.record_published_edit(notice, user=publisher,
                                     now=stamped + datetime.timedelta(minutes=5))
    assert notice.updated_for_visitors_at > stamped
    assert [m.msg_type for m in notice.cap_messages.all()] == ["Alert", "Update"]
    with pytest.raises(publishing.PublishingError):
        publishing.record_published_edit(notice, user=factories.make_editor())


@pytest.mark.parametrize("text, warned", [
    ("Call 303-555-0100 for a ride", True),
    ("Agents seen at 1234 Colfax Ave this morning", True),
    ("Agentes en la Calle Federal 2500", True),
    ("Juan Pérez was taken by agents", True),
    ("A know-your-rights session at the Denver Public Library", False),
    ("Call the hotline if you see something", False),
])
def test_private_details_in_the_text_raise_a_warning(text, warned):
    notice = factories.make_notice(body_en=text)
    assert bool(publishing.content_warnings(notice)) is warned
