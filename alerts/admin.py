from types import SimpleNamespace

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import publishing
from .models import Notice, NoticeTemplate


class NoticeForm(forms.ModelForm):
    publish_despite_warnings = forms.BooleanField(
        label=_("I checked the warnings: nothing here names a private person or place"),
        required=False)

    class Meta:
        model = Notice
        fields = "__all__"  # noqa: DJ007 (the admin decides which fields it shows)

    def clean(self):
        cleaned_data = super().clean()
        warnings = publishing.content_warnings(SimpleNamespace(**cleaned_data))
        if warnings and not cleaned_data.get("publish_despite_warnings"):
            raise forms.ValidationError(
                [*warnings, _("Fix the text, or tick the box below if you checked it.")])
        return cleaned_data


class NoticeActionForm(ActionForm):
    reason = forms.CharField(
        label=_("Why it cannot wait"), required=False, max_length=500,
        help_text=_("Only for “publish alone”: why no second publisher could approve."))


def _run(modeladmin, request, queryset, change, success):
    done = 0
    for notice in queryset:
        try:
            done += change(notice) is not False
        except publishing.PublishingError as error:
            modeladmin.message_user(request, f"{notice}: {error}", messages.ERROR)
    if done:
        modeladmin.message_user(request, success(done), messages.SUCCESS)


@admin.action(description=_("Publish (urgent: ask a second publisher)"), permissions=["publish"])
def publish_notices(modeladmin, request, queryset):
    def change(notice):
        notice = publishing.publish(notice, user=request.user)
        if notice.status == Notice.Status.DRAFT:
            modeladmin.message_user(request, _(
                "%(notice)s waits for a second publisher to approve it.") % {"notice": notice},
                messages.WARNING)
            return False

    _run(modeladmin, request, queryset, change, lambda count: ngettext(
        "%(count)d notice published.", "%(count)d notices published.", count)
        % {"count": count})


@admin.action(description=_("Approve and publish (second publisher)"), permissions=["publish"])
def approve_notices(modeladmin, request, queryset):
    _run(modeladmin, request, queryset,
         lambda notice: publishing.approve(notice, user=request.user),
         lambda count: ngettext("%(count)d notice approved and published.",
                                "%(count)d notices approved and published.", count)
         % {"count": count})


@admin.action(description=_("Publish alone — emergency, flagged for review"),
              permissions=["publish"])
def publish_notices_alone(modeladmin, request, queryset):
    form = NoticeActionForm(request.POST)
    reason = form.data.get("reason", "")
    _run(modeladmin, request, queryset,
         lambda notice: publishing.publish_alone(notice, user=request.user, reason=reason),
         lambda count: ngettext(
             "%(count)d notice published alone; it is flagged for review.",
             "%(count)d notices published alone; they are flagged for review.", count)
         % {"count": count})


@admin.action(description=_("Withdraw"), permissions=["publish"])
def withdraw_notices(modeladmin, request, queryset):
    _run(modeladmin, request, queryset,
         lambda notice: publishing.withdraw(notice, user=request.user),
         lambda count: ngettext("%(count)d notice withdrawn.", "%(count)d notices withdrawn.",
                                count) % {"count": count})


@admin.action(description=_("Mark found false and publish the correction"),
              permissions=["publish"])
def mark_notices_found_false(modeladmin, request, queryset):
    _run(modeladmin, request, queryset,
         lambda notice: publishing.mark_found_false(notice, user=request.user),
         lambda count: ngettext("%(count)d correction published.",
                                "%(count)d corrections published.", count) % {"count": count})


@admin.action(description=_("Mark reviewed (after an emergency publication)"),
              permissions=["publish"])
def mark_notices_reviewed(modeladmin, request, queryset):
    _run(modeladmin, request, queryset.filter(needs_review=True),
         lambda notice: publishing.mark_reviewed(notice, user=request.user),
         lambda count: ngettext("%(count)d notice marked reviewed.",
                                "%(count)d notices marked reviewed.", count) % {"count": count})


@admin.register(Notice)
class NoticeAdmin(SimpleHistoryAdmin, TranslationAdmin):
    action_form = NoticeActionForm
    actions = [publish_notices, approve_notices, publish_notices_alone, withdraw_notices,
               mark_notices_found_false, mark_notices_reviewed]
    autocomplete_fields = ("regions", "organizations", "services", "hotlines", "legal_funds",
                           "detention_facilities", "sources", "confirmed_by", "corrects")
    change_form_template = "admin/alerts/notice/change_form.html"
    change_list_template = "admin/alerts/notice/change_list.html"
    form = NoticeForm
    list_display = ("title", "severity", "certainty", "status", "publish_at", "expires_at",
                    "awaiting_approval_since", "needs_review")
    list_filter = ("status", "severity", "certainty", "needs_review")
    readonly_fields = ("status", "updated_for_visitors_at", "awaiting_approval_since",
                       "requested_by", "published_by", "approved_by", "published_alone_because",
                       "needs_review", "withdrawn_at", "withdrawn_by", "created_at", "updated_at")
    search_fields = ("title_en", "title_es", "summary_en", "summary_es")

    def has_publish_permission(self, request):
        return publishing.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        """Only a publisher may touch a notice once it has left the draft stage."""
        if obj is not None and obj.status != Notice.Status.DRAFT:
            if not self.has_publish_permission(request):
                return False
        return super().has_change_permission(request, obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        template = NoticeTemplate.objects.filter(pk=request.GET.get("template") or None).first()
        if template:
            initial["severity"], initial["certainty"] = template.severity, template.certainty
            for field in ("title", "summary", "body"):
                for code in ("en", "es"):
                    initial[f"{field}_{code}"] = getattr(template, f"{field}_{code}")
        return initial

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "notice_templates": NoticeTemplate.objects.all()}
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        was_public = change and obj.status == Notice.Status.PUBLISHED
        super().save_model(request, obj, form, change)
        if was_public:
            publishing.record_published_edit(obj, user=request.user)

    def get_urls(self):
        return [path("withdraw-urgent/", self.admin_site.admin_view(self.withdraw_urgent_view),
                     name="alerts_notice_withdraw_urgent"), *super().get_urls()]

    def withdraw_urgent_view(self, request):
        """One button that takes every urgent notice down at once."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            count = publishing.withdraw_all_urgent(user=request.user)
            self.message_user(request, ngettext(
                "%(count)d urgent notice withdrawn.", "%(count)d urgent notices withdrawn.", count)
                % {"count": count}, messages.SUCCESS)
            return redirect(reverse("admin:alerts_notice_changelist"))
        context = {**self.admin_site.each_context(request), "opts": self.opts,
                   "title": _("Withdraw every urgent notice"),
                   "urgent_notices": Notice.objects.filter(status=Notice.Status.PUBLISHED,
                                                           severity=Notice.Severity.URGENT)}
        return TemplateResponse(request, "admin/alerts/notice/withdraw_urgent.html", context)


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("name", "severity", "certainty", "position")
    search_fields = ("name_en", "name_es", "title_en", "title_es")
