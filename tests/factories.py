"""Small factories with sensible defaults; pass **overrides for what a test cares about."""

import datetime
import itertools

from directory.models import (
    Category,
    DetentionFacility,
    Hotline,
    HotlineHours,
    HotlineMenuOption,
    Language,
    LegalFund,
    Location,
    LocationHours,
    Organization,
    Policy,
    Region,
    Service,
    ServiceHours,
    Source,
)

_sequence = itertools.count(1)


def _next():
    return next(_sequence)


def make_region(**overrides):
    n = _next()
    fields = {"name_en": f"Region {n}", "name_es": f"Región {n}", "slug": f"region-{n}",
              "kind": Region.Kind.CITY}
    return Region.objects.create(**{**fields, **overrides})


def make_category(**overrides):
    n = _next()
    fields = {"name_en": f"Category {n}", "name_es": f"Categoría {n}", "slug": f"category-{n}"}
    return Category.objects.create(**{**fields, **overrides})


def make_language(**overrides):
    n = _next()
    fields = {"code": f"x-{n}", "name_en": f"Language {n}", "name_es": f"Idioma {n}"}
    return Language.objects.create(**{**fields, **overrides})


def make_source(**overrides):
    n = _next()
    fields = {"title": f"Report {n}", "publisher": "Denver7",
              "published_on": datetime.date(2019, 6, 21)}
    return Source.objects.create(**{**fields, **overrides})


def _record_fields(prefix, n):
    return {"name_en": f"{prefix} {n}", "name_es": f"{prefix} {n} (es)",
            "slug": f"{prefix.lower()}-{n}", "summary_en": f"What {prefix} {n} does.",
            "summary_es": f"Lo que hace {prefix} {n}."}


def make_organization(**overrides):
    fields = {**_record_fields("Organization", _next()), "kind": Organization.Kind.NONPROFIT}
    return Organization.objects.create(**{**fields, **overrides})


def make_location(**overrides):
    n = _next()
    fields = {"name_en": f"Office {n}", "name_es": f"Oficina {n}", "street_address": f"{n} Main St",
              "city": "Denver", "state": "CO", "postal_code": "80202"}
    return Location.objects.create(**{**fields, **overrides})


def make_hotline(**overrides):
    fields = {**_record_fields("Hotline", _next()), "purpose_en": "Report ICE activity",
              "purpose_es": "Reportar actividad de ICE", "phone": "+18448648341"}
    if "organization" not in overrides:
        fields["organization"] = make_organization()
    return Hotline.objects.create(**{**fields, **overrides})


def make_menu_option(**overrides):
    fields = {"digits": "2", "purpose_en": "Report ICE activity",
              "purpose_es": "Reportar actividad de ICE"}
    if "hotline" not in overrides:
        fields["hotline"] = make_hotline()
    return HotlineMenuOption.objects.create(**{**fields, **overrides})


def make_service(**overrides):
    fields = {**_record_fields("Service", _next()), "cost": Service.Cost.FREE}
    if "organization" not in overrides:
        fields["organization"] = make_organization()
    return Service.objects.create(**{**fields, **overrides})


def make_legal_fund(**overrides):
    fields = {**_record_fields("Fund", _next()), "kind": LegalFund.Kind.LEGAL_DEFENSE}
    if "organization" not in overrides:
        fields["organization"] = make_organization(kind=Organization.Kind.FUND)
    return LegalFund.objects.create(**{**fields, **overrides})


def make_facility(**overrides):
    n = _next()
    fields = {**_record_fields("Facility", n), "official_name": f"Contract Detention Facility {n}"}
    if "operator" not in overrides:
        fields["operator"] = make_organization(kind=Organization.Kind.DETENTION_OPERATOR)
    if "authority" not in overrides:
        fields["authority"] = make_organization(kind=Organization.Kind.ENFORCEMENT_AGENCY)
    return DetentionFacility.objects.create(**{**fields, **overrides})


def make_policy(**overrides):
    fields = {**_record_fields("Policy", _next()), "stated_on": datetime.date(2019, 6, 21)}
    if "organization" not in overrides:
        fields["organization"] = make_organization(kind=Organization.Kind.POLICE)
    return Policy.objects.create(**{**fields, **overrides})


def fill_relations(record, *, region, category, language, source, verifier):
    """Give a record every many-to-many and the checking organization."""
    record.areas_served.add(region)
    record.categories.add(category)
    record.languages.add(language)
    record.sources.add(source)
    record.verified_by = verifier
    record.last_verified_on = datetime.date(2026, 11, 1)
    record.save()
    return record


def make_full_directory(count):
    """`count` records of every kind with every relation filled, for query-count tests."""
    region = make_region()
    category = make_category(slug=f"legal-help-{_next()}")
    language = make_language()
    source = make_source()
    verifier = make_organization()
    relations = {"region": region, "category": category, "language": language,
                 "source": source, "verifier": verifier}
    for _ in range(count):
        organization = fill_relations(make_organization(parent=verifier), **relations)
        location = make_location(organization=organization, region=region)
        LocationHours.objects.create(location=location, weekday=0,
                                     opens=datetime.time(9), closes=datetime.time(17))
        hotline = fill_relations(make_hotline(organization=organization, is_featured=True),
                                 **relations)
        option = make_menu_option(hotline=hotline, last_checked_on=datetime.date(2026, 11, 1))
        option.languages.add(language)
        HotlineHours.objects.create(hotline=hotline, weekday=1, is_24_hours=True)
        service = fill_relations(make_service(organization=organization, location=location,
                                              legal_help_by=Service.LegalHelpBy.ATTORNEY),
                                 **relations)
        ServiceHours.objects.create(service=service, weekday=2,
                                    opens=datetime.time(9), closes=datetime.time(17))
        fill_relations(make_legal_fund(organization=organization), **relations)
        fill_relations(make_facility(location=location), **relations)
        fill_relations(make_policy(organization=organization), **relations)
    return relations


def make_notice(**overrides):
    """A draft notice with text in both languages; publish it with alerts.publishing."""
    from alerts.models import Notice

    n = _next()
    fields = {"title_en": f"Notice {n}", "title_es": f"Aviso {n}",
              "summary_en": f"What happened {n}.", "summary_es": f"Lo que pasó {n}.",
              "body_en": "Call the hotline.", "body_es": "Llame a la línea de ayuda.",
              "severity": Notice.Severity.ADVISORY, "certainty": Notice.Certainty.CONFIRMED}
    return Notice.objects.create(**{**fields, **overrides})


def make_publisher(username=None, **overrides):
    """A staff user in the Publishers group (created by the alerts migration)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username or f"publisher{_next()}", password="pw-not-used",
                                    is_staff=True, **overrides)
    user.groups.add(Group.objects.get(name="Publishers"))
    return User.objects.get(pk=user.pk)  # a fresh object: no stale permission cache


def make_editor(username=None, **overrides):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username or f"editor{_next()}", password="pw-not-used",
                                    is_staff=True, **overrides)
    user.groups.add(Group.objects.get(name="Editors"))
    return User.objects.get(pk=user.pk)


def make_public_notice(*, publisher=None, **overrides):
    """A confirmed notice published now (an urgent one through the emergency path)."""
    from alerts import publishing
    from alerts.models import Notice

    publisher = publisher or make_publisher()
    if "confirmed_by" not in overrides:
        overrides["confirmed_by"] = make_organization()
    notice = make_notice(**overrides)
    if notice.severity == Notice.Severity.URGENT:
        return publishing.publish_alone(notice, user=publisher, reason="test")
    return publishing.publish(notice, user=publisher)


def login_staff(client, user):
    """Log a staff user in as if through the admin form, second factor included."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    client.force_login(user)
    device, _created = StaticDevice.objects.get_or_create(user=user, name="test device")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
