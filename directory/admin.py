from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from . import reviewing
from .checking import mark_checked, mark_items_checked, overdue_records
from .models import (
    Category,
    CheckingInterval,
    DetentionFacility,
    Hotline,
    HotlineHours,
    HotlineMenuOption,
    Language,
    LegalFund,
    Location,
    LocationHours,
    Organization,
    PendingChange,
    Policy,
    Region,
    RightsReview,
    RightsSection,
    Service,
    ServiceHours,
    Source,
    StaffMembership,
)


def partner_organization(user):
    """The partner organization a staff user works for, or None for Amparo's own staff."""
    membership = getattr(user, "membership", None)
    return membership.organization if membership else None


class DirectoryAdmin(SimpleHistoryAdmin):
    """What every directory admin shares: partner staff edit only their organization's
    records, and a change that can hurt waits for a second person."""

    # How a record leads to its organization; None: partner staff may only look.
    partner_lookup = None

    def _partner(self, request):
        return partner_organization(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        organization = self._partner(request)
        if organization and self.partner_lookup:
            queryset = queryset.filter(**{self.partner_lookup: organization})
        return queryset

    def _partner_may_edit(self, request, obj):
        organization = self._partner(request)
        if organization is None:
            return True
        if not self.partner_lookup:
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and self._partner_may_edit(
            request, None)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._partner_may_edit(
            request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._partner_may_edit(
            request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        organization = self._partner(request)
        if organization and db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.filter(pk=organization.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _say_what_waits(self, request, obj, pending):
        if pending is None:
            return
        hider = reviewing.hiding_field(type(obj))
        fields = ", ".join(reviewing.field_label(type(obj), name) for name in pending.changes
                           if name != hider)
        if hider in pending.changes:
            message = _("“%(record)s” stays out of public view until a second person "
                        "approves its %(fields)s.")
        else:
            message = _("The change to %(fields)s of “%(record)s” waits for a second "
                        "person's approval; the public page keeps the old value until then.")
        self.message_user(request, message % {"fields": fields, "record": obj},
                          messages.WARNING)

    def save_model(self, request, obj, form, change):
        held = reviewing.hold_sensitive_changes(obj)
        super().save_model(request, obj, form, change)  # sets the history's user too
        self._say_what_waits(request, obj,
                             reviewing.wait_for_approval(obj, held, user=request.user))

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            self._say_what_waits(request, instance,
                                 reviewing.save_and_hold(instance, user=request.user))
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class TranslatedAdmin(DirectoryAdmin, TranslationAdmin):
    """English and Spanish fields side by side, with nothing loaded from another host."""


class CheckedByForm(ActionForm):
    checked_by = forms.ModelChoiceField(
        queryset=Organization.objects.helpers(), required=False, label=_("Checked by"),
        help_text=_("For “mark checked today”: the organization that checked."))


@admin.action(description=_("Mark checked today"))
def mark_checked_today(modeladmin, request, queryset):
    organization = modeladmin.get_action_form_value(request, "checked_by")
    if organization is None:
        modeladmin.message_user(
            request, _("Choose the organization that checked them, then run the action again."),
            messages.ERROR)
        return
    count = mark_checked(queryset, organization=organization)
    modeladmin.message_user(request, ngettext(
        "%(count)d record marked checked today by %(organization)s.",
        "%(count)d records marked checked today by %(organization)s.", count,
    ) % {"count": count, "organization": organization}, messages.SUCCESS)


class HoursInline(admin.TabularInline):
    fields = ("weekday", "opens", "closes", "is_24_hours", "is_closed")
    extra = 0


class HotlineHoursInline(HoursInline):
    model = HotlineHours


class ServiceHoursInline(HoursInline):
    model = ServiceHours


class LocationHoursInline(HoursInline):
    model = LocationHours


class HotlineMenuOptionInline(TranslationTabularInline):
    model = HotlineMenuOption
    fields = ("position", "digits", "purpose", "languages", "hours_note", "last_checked_on",
              "is_published")
    readonly_fields = ("is_published",)
    autocomplete_fields = ("languages",)
    extra = 0


class HotlineInline(TranslationTabularInline):
    model = Hotline
    fk_name = "organization"
    fields = ("name", "slug", "purpose", "phone", "is_published")
    show_change_link = True
    extra = 0


class ServiceInline(TranslationTabularInline):
    model = Service
    fk_name = "organization"
    fields = ("name", "slug", "cost", "is_published")
    show_change_link = True
    extra = 0


class RecordAdmin(TranslatedAdmin):
    """What every public record's admin shares: checking, publishing, vocabularies."""

    action_form = CheckedByForm
    actions = [mark_checked_today]
    autocomplete_fields = ("areas_served", "languages", "categories", "sources", "verified_by")
    list_display = ("name", "is_published", "last_verified_on", "verified_by")
    list_filter = ("is_published", "areas_served", "categories", "last_verified_on")
    list_select_related = ("verified_by",)
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("created_at", "updated_at")
    search_fields = ("name_en", "name_es", "slug", "summary_en", "summary_es")

    def get_action_form_value(self, request, name):
        form = self.action_form(request.POST)
        form.fields["action"].choices = self.get_action_choices(request)
        return form.cleaned_data.get(name) if form.is_valid() else None


@admin.register(Organization)
class OrganizationAdmin(RecordAdmin):
    partner_lookup = "pk"
    autocomplete_fields = RecordAdmin.autocomplete_fields + ("parent",)
    inlines = [HotlineInline, ServiceInline]
    list_display = ("name", "kind", "is_published", "last_verified_on", "verified_by")
    list_filter = ("kind",) + RecordAdmin.list_filter


@admin.register(Hotline)
class HotlineAdmin(RecordAdmin):
    partner_lookup = "organization"
    autocomplete_fields = RecordAdmin.autocomplete_fields + ("organization",)
    inlines = [HotlineMenuOptionInline, HotlineHoursInline]
    list_display = ("name", "organization", "phone", "is_featured", "is_on_rights_page",
                    "is_published", "last_verified_on")
    list_filter = ("is_featured", "is_on_rights_page") + RecordAdmin.list_filter
    list_select_related = ("organization", "verified_by")
    search_fields = RecordAdmin.search_fields + ("phone", "purpose_en", "purpose_es")


@admin.register(Service)
class ServiceAdmin(RecordAdmin):
    partner_lookup = "organization"
    autocomplete_fields = RecordAdmin.autocomplete_fields + ("organization", "location")
    inlines = [ServiceHoursInline]
    list_display = ("name", "organization", "cost", "legal_help_by", "is_published",
                    "last_verified_on")
    list_filter = ("cost", "legal_help_by") + RecordAdmin.list_filter
    list_select_related = ("organization", "verified_by")


@admin.register(LegalFund)
class LegalFundAdmin(RecordAdmin):
    autocomplete_fields = RecordAdmin.autocomplete_fields + ("organization",)
    list_display = ("name", "kind", "organization", "is_published", "last_verified_on")
    list_filter = ("kind",) + RecordAdmin.list_filter
    list_select_related = ("organization", "verified_by")


@admin.register(DetentionFacility)
class DetentionFacilityAdmin(RecordAdmin):
    autocomplete_fields = RecordAdmin.autocomplete_fields + ("operator", "authority", "location")
    list_display = ("name", "official_name", "operator", "authority", "is_published",
                    "last_verified_on")
    list_filter = ("kind",) + RecordAdmin.list_filter
    list_select_related = ("operator", "authority", "verified_by")
    search_fields = RecordAdmin.search_fields + ("official_name", "other_names")


@admin.register(Policy)
class PolicyAdmin(RecordAdmin):
    autocomplete_fields = RecordAdmin.autocomplete_fields + ("organization",)
    list_display = ("name", "organization", "stated_on", "is_in_force", "last_verified_on")
    list_filter = ("is_in_force",) + RecordAdmin.list_filter
    list_select_related = ("organization", "verified_by")


@admin.register(Location)
class LocationAdmin(TranslatedAdmin):
    partner_lookup = "organization"
    autocomplete_fields = ("organization", "region")
    inlines = [LocationHoursInline]
    list_display = ("name", "organization", "city", "is_confidential")
    list_filter = ("is_confidential", "region")
    list_select_related = ("organization",)
    readonly_fields = ("created_at", "updated_at")
    search_fields = ("name_en", "name_es", "street_address", "city", "postal_code")


@admin.register(Region)
class RegionAdmin(TranslatedAdmin):
    autocomplete_fields = ("parent",)
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    prepopulated_fields = {"slug": ("name_en",)}
    search_fields = ("name_en", "name_es", "slug")


@admin.register(Category)
class CategoryAdmin(TranslatedAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name_en",)}
    search_fields = ("name_en", "name_es", "slug")


@admin.register(Language)
class LanguageAdmin(TranslatedAdmin):
    list_display = ("name", "code")
    search_fields = ("name_en", "name_es", "code")


@admin.register(Source)
class SourceAdmin(DirectoryAdmin):
    date_hierarchy = "published_on"
    list_display = ("title", "publisher", "published_on", "url")
    search_fields = ("title", "publisher", "url")


@admin.register(RightsSection)
class RightsSectionAdmin(TranslatedAdmin):
    list_display = ("title", "topic", "position", "updated_at")
    list_editable = ("position",)
    search_fields = ("title_en", "title_es", "steps_en", "steps_es")


@admin.register(RightsReview)
class RightsReviewAdmin(DirectoryAdmin):
    autocomplete_fields = ("reviewed_by",)
    list_display = ("reviewed_by", "reviewed_on")


@admin.register(CheckingInterval)
class CheckingIntervalAdmin(DirectoryAdmin):
    list_display = ("kind", "days")
    list_editable = ("days",)

    def get_urls(self):
        return [path("overdue/", self.admin_site.admin_view(self.overdue_view),
                     name="directory_overdue"), *super().get_urls()]

    def overdue_view(self, request):
        """Everything past its checking interval, by kind, oldest first."""
        region = Region.objects.filter(slug=request.GET.get("region") or None).first()
        groups = [(model, records) for model, records in overdue_records(region=region)
                  if request.user.has_perm(f"directory.change_{model._meta.model_name}")]
        organization = partner_organization(request.user)
        if organization:
            groups = []  # partner staff check their own records from their own lists
        if request.method == "POST":
            return self._mark_checked(request, groups)
        sections = [{
            "label": model._meta.verbose_name_plural,
            "rows": [{
                "key": f"{model._meta.label_lower}:{record.pk}",
                "name": str(record),
                "checked_on": getattr(record, "last_verified_on",
                                      getattr(record, "last_checked_on", None)),
                "areas": ", ".join(area.name for area in getattr(
                    record, "hotline", record).areas_served.all()),
            } for record in records],
        } for model, records in groups]
        context = {**self.admin_site.each_context(request), "opts": self.opts,
                   "title": _("Overdue for checking"), "sections": sections,
                   "regions": Region.objects.all(), "region": region,
                   "checkers": Organization.objects.helpers().published()}
        return TemplateResponse(request, "admin/directory/overdue.html", context)

    def _mark_checked(self, request, groups):
        chosen = set(request.POST.getlist("record"))
        checker = Organization.objects.helpers().filter(
            pk=request.POST.get("checked_by") or None).first()
        items = [record for model, records in groups for record in records
                 if f"{model._meta.label_lower}:{record.pk}" in chosen]
        if checker is None or not items:
            self.message_user(request, _("Choose the records and the organization that "
                                         "checked them."), messages.ERROR)
        else:
            count = mark_items_checked(items, organization=checker)
            self.message_user(request, ngettext(
                "%(count)d record marked checked today by %(organization)s.",
                "%(count)d records marked checked today by %(organization)s.", count,
            ) % {"count": count, "organization": checker}, messages.SUCCESS)
        return redirect(request.get_full_path())


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    autocomplete_fields = ("user", "organization")
    list_display = ("user", "organization")
    search_fields = ("user__username", "organization__name_en")


@admin.action(description=_("Approve: make the change live"), permissions=["approve"])
def approve_changes(modeladmin, request, queryset):
    _decide_all(modeladmin, request, queryset.waiting(), reviewing.approve)


@admin.action(description=_("Reject: keep the old value"), permissions=["approve"])
def reject_changes(modeladmin, request, queryset):
    _decide_all(modeladmin, request, queryset.waiting(), reviewing.reject)


def _decide_all(modeladmin, request, queryset, decide):
    for change in queryset:
        try:
            decide(change, user=request.user)
        except PermissionDenied as error:
            modeladmin.message_user(request, f"{change}: {error}", messages.ERROR)
        else:
            modeladmin.message_user(request, _("%(change)s: done.") % {"change": change},
                                    messages.SUCCESS)


def _shown(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    actions = [approve_changes, reject_changes]
    list_display = ("record", "old_and_new", "requested_by", "requested_at", "status")
    list_filter = ("status", "content_type")
    readonly_fields = ("content_type", "object_id", "record", "old_and_new", "status",
                       "requested_by", "requested_at", "decided_by", "decided_at")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_approve_permission(self, request):
        return request.user.has_perm(reviewing.APPROVE_PERMISSION)

    @admin.display(description=_("record"))
    def record(self, change):
        try:
            target = change.target
        except ObjectDoesNotExist:
            return _("(deleted)")
        return format_html("{}: {}", change.content_type.name, target)

    @admin.display(description=_("old and new"))
    def old_and_new(self, change):
        model = change.content_type.model_class()
        rows = format_html_join(
            "", "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            ((reviewing.field_label(model, name), _shown(values["old"]), _shown(values["new"]))
             for name, values in change.changes.items()))
        return format_html(
            "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>"
            "<th scope=\"col\">{}</th></tr></thead><tbody>{}</tbody></table>",
            _("field"), _("now"), _("asked for"), rows)


from .models import Synonym  # noqa: E402  (appended with its admin, apart from the rest)


@admin.register(Synonym)
class SynonymAdmin(SimpleHistoryAdmin):
    list_display = ("phrase", "language", "alternatives")
    list_filter = ("language",)
    search_fields = ("phrase", "alternatives")
