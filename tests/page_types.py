"""Every page type a visitor (and, for issue 9, a member of staff) can open, for the
accessibility, valid-HTML, zoom and screenshot checks.

`populate()` loads the sample data and adds what it lacks: notices in effect (an urgent
one, so the banner shows, and a correction of one found false), a record with English
text only (so Spanish pages show the English fallback) and a change waiting for approval.
`public_pages(language)` then names one page of each type in that language.
"""

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

LANGUAGES = ("en", "es")
ENGLISH_ONLY_SLUG = "english-only-service"


def populate():
    """The sample data and the kinds it lacks; returns the publisher who published."""
    from alerts import publishing
    from alerts.models import Notice
    from directory.models import Hotline, Organization, PendingChange
    from tests import factories

    call_command("load_sample_data", verbosity=0)
    publisher = factories.make_publisher()
    coalition = Organization.objects.get(slug="colorado-immigrant-rights-coalition")
    hotline = Hotline.objects.get(slug="circ-hotline")
    urgent = factories.make_public_notice(
        publisher=publisher, severity=Notice.Severity.URGENT, confirmed_by=coalition,
        title_en="ICE agents confirmed near East Colfax",
        title_es="Agentes de ICE confirmados cerca de East Colfax",
        summary_en="Stay inside and call the hotline before opening the door.",
        summary_es="Quédese adentro y llame a la línea antes de abrir la puerta.")
    urgent.hotlines.add(hotline)
    rumour = factories.make_public_notice(
        publisher=publisher, confirmed_by=coalition,
        title_en="Checkpoint reported on Federal Boulevard",
        title_es="Retén reportado en Federal Boulevard")
    rumour.hotlines.add(hotline)
    publishing.mark_found_false(rumour, user=publisher)
    factories.make_service(organization=coalition, slug=ENGLISH_ONLY_SLUG,
                           name_en="Walk-in help with forms", name_es="",
                           summary_en="Volunteers help fill in forms on Saturdays.",
                           summary_es="", is_published=True)
    PendingChange.objects.create(
        content_type_id=_content_type(Hotline), object_id=str(hotline.pk),
        changes={"phone": {"old": "+18448648341", "new": "+17205550100"}},
        requested_by=publisher)
    return publisher


def _content_type(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def public_pages(language):
    """[(page type, path)] for every public page type, in `language`, after populate()."""
    from alerts.models import Notice
    from directory.models import (
        Category,
        DetentionFacility,
        Hotline,
        LegalFund,
        Organization,
        Policy,
        Region,
        Service,
    )

    def detail(model, slug):
        return model.objects.get(slug=slug).get_absolute_url()

    urgent = Notice.objects.public().filter(severity=Notice.Severity.URGENT).first()
    correction = Notice.objects.public().filter(certainty=Notice.Certainty.FOUND_FALSE).first()
    archived = Notice.objects.archived().order_by("publish_at").first()
    with translation.override(language):
        search = reverse("directory:search")
        return [
            ("home", reverse("directory:home")),
            ("hotline-list", reverse("directory:hotline-list")),
            ("organization-list", reverse("directory:organization-list")),
            ("enforcement-list", reverse("directory:enforcement-list")),
            ("service-list", reverse("directory:service-list")),
            ("legalfund-list", reverse("directory:legalfund-list")),
            ("facility-list", reverse("directory:detentionfacility-list")),
            ("policy-list", reverse("directory:policy-list")),
            ("region-list", reverse("directory:region-list")),
            ("category-list", reverse("directory:category-list")),
            ("organization", detail(Organization, "colorado-immigrant-rights-coalition")),
            ("enforcement-agency", detail(Organization, "ice")),
            ("hotline", detail(Hotline, "circ-hotline")),
            ("service", detail(Service, "circ-know-your-rights-sessions")),
            ("service-english-fallback", detail(Service, ENGLISH_ONLY_SLUG)),
            ("legal-fund", detail(LegalFund, "denver-immigrant-legal-services-fund")),
            ("facility", detail(DetentionFacility, "denver-contract-detention-facility")),
            ("policy", detail(Policy, "denver-police-no-ice-raids")),
            ("region", detail(Region, "denver")),
            ("category", detail(Category, "legal-help")),
            ("notice-list", reverse("alerts:notice-list")),
            ("notice-urgent", urgent.get_absolute_url()),
            ("notice-found-false", correction.get_absolute_url()),
            ("notice-withdrawn", correction.corrects.get_absolute_url()),
            ("notice-archive", reverse("alerts:notice-archive")),
            ("notice-archive-month", reverse("alerts:notice-archive-month", kwargs={
                "year": archived.publish_at.year, "month": archived.publish_at.month})),
            ("notice-archived", archived.get_absolute_url()),
            ("search-results", f"{search}?q=abogado+gratis"),
            ("search-filtered", f"{search}?q=abogado&category=legal-help&free=1"),
            ("search-empty", f"{search}?q=zzzxqj"),
            ("search-blank", search),
            ("rights", reverse("directory:rights")),
            ("rights-print", reverse("directory:rights-print")),
            ("rights-both-languages", reverse("directory:rights-bilingual")),
            ("rights-cards", reverse("directory:rights-cards")),
            ("rights-family-plan", reverse("directory:rights-worksheet")),
            ("about", reverse("directory:about")),
            ("not-found", f"/{language}/no-such-page/"),
        ]


def admin_pages():
    """[(page type, path)] for the staff pages of issue 9 and the front page, signed in."""
    from directory.models import Hotline, PendingChange

    hotline = Hotline.objects.get(slug="circ-hotline")
    change = PendingChange.objects.order_by("requested_at").first()
    return [
        ("admin-index", reverse("admin:index")),
        ("admin-overdue", reverse("admin:directory_overdue")),
        ("admin-hotline-change", reverse("admin:directory_hotline_change", args=[hotline.pk])),
        ("admin-pending-changes", reverse("admin:directory_pendingchange_changelist")),
        ("admin-pending-change", reverse("admin:directory_pendingchange_change",
                                         args=[change.pk])),
    ]
