from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .checking import mark_checked
from .models import (
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
    RightsReview,
    RightsSection,
    Service,
    ServiceHours,
    Source,
)


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
    fields = ("position", "digits", "purpose", "languages", "hours_note", "last_checked_on")
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


class RecordAdmin(SimpleHistoryAdmin, TranslationAdmin):
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
    autocomplete_fields = RecordAdmin.autocomplete_fields + ("parent",)
    inlines = [HotlineInline, ServiceInline]
    list_display = ("name", "kind", "is_published", "last_verified_on", "verified_by")
    list_filter = ("kind",) + RecordAdmin.list_filter


@admin.register(Hotline)
class HotlineAdmin(RecordAdmin):
    autocomplete_fields = RecordAdmin.autocomplete_fields + ("organization",)
    inlines = [HotlineMenuOptionInline, HotlineHoursInline]
    list_display = ("name", "organization", "phone", "is_featured", "is_on_rights_page",
                    "is_published", "last_verified_on")
    list_filter = ("is_featured", "is_on_rights_page") + RecordAdmin.list_filter
    list_select_related = ("organization", "verified_by")
    search_fields = RecordAdmin.search_fields + ("phone", "purpose_en", "purpose_es")


@admin.register(Service)
class ServiceAdmin(RecordAdmin):
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
class LocationAdmin(SimpleHistoryAdmin, TranslationAdmin):
    autocomplete_fields = ("organization", "region")
    inlines = [LocationHoursInline]
    list_display = ("name", "organization", "city", "is_confidential")
    list_filter = ("is_confidential", "region")
    list_select_related = ("organization",)
    readonly_fields = ("created_at", "updated_at")
    search_fields = ("name_en", "name_es", "street_address", "city", "postal_code")


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    autocomplete_fields = ("parent",)
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    prepopulated_fields = {"slug": ("name_en",)}
    search_fields = ("name_en", "name_es", "slug")


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name_en",)}
    search_fields = ("name_en", "name_es", "slug")


@admin.register(Language)
class LanguageAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("name", "code")
    search_fields = ("name_en", "name_es", "code")


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    date_hierarchy = "published_on"
    list_display = ("title", "publisher", "published_on", "url")
    search_fields = ("title", "publisher", "url")


@admin.register(RightsSection)
class RightsSectionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("title", "topic", "position", "updated_at")
    list_editable = ("position",)
    search_fields = ("title_en", "title_es", "steps_en", "steps_es")


@admin.register(RightsReview)
class RightsReviewAdmin(SimpleHistoryAdmin):
    autocomplete_fields = ("reviewed_by",)
    list_display = ("reviewed_by", "reviewed_on")
