"""The sample directory, plus one record of each shape the samples lack, for the HSDS tests."""

import datetime

import pytest

from directory.models import (
    Category,
    HotlineHours,
    Language,
    LocationHours,
    Organization,
    Region,
    Service,
    ServiceHours,
)
from directory.sample_data import load_sample_data
from tests import factories

# Written on confidential records only: none of these may leave Amparo.
SECRET_STREET = "77 Hidden Shelter Lane"
SECRET_PLACE = "Safe house on the east side"
SECRET_ZIP = "80299"
PRIVATE_NAMES = ("Encalada", "Latorre", "Ingrid")


@pytest.fixture
def hsds_directory(db):
    """load_sample_data(), and beside it every kind of field and every hiding rule."""
    load_sample_data()
    denver = Region.objects.get(slug="denver")
    legal_help = Category.objects.get(slug="legal-help")
    spanish = Language.objects.get(code="es")
    coalition = Organization.objects.get(slug="colorado-immigrant-rights-coalition")

    office = factories.make_location(
        organization=coalition, name_en="Westside office", street_address="1200 Federal Blvd",
        city="Denver", state="CO", postal_code="80204", region=denver,
        latitude="39.735000", longitude="-105.025000", access_notes_en="Ring at the side door.")
    LocationHours.objects.create(location=office, weekday=0, opens=datetime.time(9),
                                 closes=datetime.time(17))
    LocationHours.objects.create(location=office, weekday=6, is_closed=True)
    clinic = factories.make_service(
        organization=coalition, name_en="Walk-in legal clinic", slug="walk-in-legal-clinic",
        summary_en="Free advice from an attorney.", description_en="Bring any letters.",
        eligibility_en="Anyone in Denver.", how_to_get_it_en="Walk in on Mondays.",
        cost=Service.Cost.FREE, legal_help_by=Service.LegalHelpBy.ATTORNEY, location=office,
        phone="+17205550100", phone_extension="12", website="https://example.org/clinic")
    clinic.categories.add(legal_help)
    clinic.languages.add(spanish)
    clinic.areas_served.add(denver)
    ServiceHours.objects.create(service=clinic, weekday=0, opens=datetime.time(9),
                                closes=datetime.time(12))
    ServiceHours.objects.create(service=clinic, weekday=2, is_24_hours=True)

    shelter = factories.make_location(
        organization=coalition, name_en=SECRET_PLACE, street_address=SECRET_STREET,
        city="Denver", state="CO", postal_code=SECRET_ZIP, is_confidential=True,
        latitude="39.700001", longitude="-104.900001")
    LocationHours.objects.create(location=shelter, weekday=1, opens=datetime.time(8),
                                 closes=datetime.time(20))
    hidden_service = factories.make_service(
        organization=coalition, name_en="Sanctuary support", slug="sanctuary-support",
        location=shelter)
    geo = Organization.objects.get(slug="the-geo-group")
    ice = Organization.objects.get(slug="ice")
    factories.make_facility(name_en="Hold room", slug="hold-room", official_name="Hold room",
                            operator=geo, authority=ice, location=shelter)

    text_line = factories.make_hotline(
        organization=coalition, name_en="Family text line", slug="family-text-line",
        phone="+17205550111", sms_number="52886", purpose_en="Ask for a lawyer")
    factories.make_menu_option(hotline=text_line, digits="1", purpose_en="English",
                               hours_note_en="weekdays")
    factories.make_menu_option(hotline=text_line, digits="2", purpose_en="Español")
    HotlineHours.objects.create(hotline=text_line, weekday=4, is_24_hours=True)

    factories.make_service(organization=coalition, name_en="Draft service", slug="draft",
                           is_published=False)
    hidden_org = factories.make_organization(name_en="Unpublished group", slug="unpublished",
                                             is_published=False)
    factories.make_service(organization=hidden_org, name_en="Orphan service", slug="orphan")

    factories.make_public_notice(title_en="Checkpoint confirmed", confirmed_by=coalition,
                                 place_en="Denver Public Library")
    return {"clinic": clinic, "office": office, "shelter": shelter, "text_line": text_line,
            "hidden_service": hidden_service, "coalition": coalition}
