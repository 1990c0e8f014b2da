"""The staff admin: a second factor for anyone who can publish or manage accounts, and
the open-data pages (HSDS CSV download, and CSV upload with a dry run first)."""

import base64
import binascii

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

# Members of these groups, and superusers, must log in with a second factor.
SECOND_FACTOR_GROUPS = ("Publishers", "Administrators")


def requires_second_factor(user):
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=SECOND_FACTOR_GROUPS).exists()


class StaffLoginForm(AdminAuthenticationForm):
    """The admin login form with an authenticator code, required where it matters."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app or a recovery code"), required=False,
        # No numeric keyboard: recovery codes have letters (django-otp's are base32).
        max_length=16, widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                     "autocapitalize": "none",
                                                     "spellcheck": "false"}))

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "no_device": _("Your account needs a second factor before you can sign in. "
                       "Ask an administrator to set one up for you."),
        "bad_token": _("That code is not right or has expired. Try the newest code."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not requires_second_factor(user):
            return
        devices = list(devices_for_user(user, confirmed=True))
        if not devices:
            raise forms.ValidationError(self.error_messages["no_device"], code="no_device")
        token = self.cleaned_data.get("otp_token", "").strip().replace(" ", "")
        for device in devices:
            allowed, _extra = device.verify_is_allowed()
            if allowed and token and device.verify_token(token):
                # django_otp stores this device in the session when the login completes.
                user.otp_device = device
                return
        raise forms.ValidationError(self.error_messages["bad_token"], code="bad_token")


# The HSDS tables staff download and upload from the admin, and the model behind each.
HSDS_TABLES = {"services": ("service", "directory.%s_service"),
               "organizations": ("organization", "directory.%s_organization")}


class HsdsUploadForm(forms.Form):
    table = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("services", _("Services (services.csv)")),
                 ("organizations", _("Organizations (organizations.csv)"))])
    file = forms.FileField(
        label=_("CSV file"), required=False,
        help_text=_("A CSV file downloaded from here, edited, and saved as “CSV UTF-8”."))
    # After the dry run the same bytes come back, so what is confirmed is what was shown.
    content = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        upload, content = data.get("file"), data.get("content")
        if upload:
            data["bytes"] = upload.read()
            data["name"] = upload.name
        elif content:
            try:
                data["bytes"] = base64.b64decode(content, validate=True)
            except (binascii.Error, ValueError) as error:
                raise forms.ValidationError(
                    _("The file was lost on the way: choose it again.")) from error
            data["name"] = f"{data.get('table', 'services')}.csv"
        else:
            raise forms.ValidationError(_("Choose a CSV file."))
        return data


class HsdsAdminMixin:
    """CSV download of the public directory and CSV upload through directory.importing."""

    def get_urls(self):
        return [
            path("hsds/<str:table>.csv", self.admin_view(self.hsds_download),
                 name="hsds-download"),
            path("hsds/import/", self.admin_view(self.hsds_import), name="hsds-import"),
            *super().get_urls(),
        ]

    def hsds_download(self, request, table):
        from directory.exporting import csv_text, tables

        if table not in HSDS_TABLES:
            raise PermissionDenied
        hsds_table, permission = HSDS_TABLES[table]
        if not request.user.has_perm(permission % "view"):
            raise PermissionDenied
        response = HttpResponse(csv_text(hsds_table, tables()[hsds_table]),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{table}.csv"'
        return response

    def hsds_import(self, request):
        from directory.importing import import_hsds

        report, form = None, HsdsUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            table = form.cleaned_data["table"]
            hsds_table, permission = HSDS_TABLES[table]
            if not all(request.user.has_perm(permission % action) for action in
                       ("add", "change")):
                raise PermissionDenied
            confirmed = "confirm" in request.POST and not form.cleaned_data.get("file")
            report = import_hsds(files={form.cleaned_data["name"]: form.cleaned_data["bytes"]},
                                 table=hsds_table, dry_run=not confirmed, user=request.user)
            form = HsdsUploadForm(initial={
                "table": table,
                "content": base64.b64encode(form.cleaned_data["bytes"]).decode()})
        context = {**self.each_context(request), "title": gettext("Import HSDS CSV"),
                   "form": form, "report": report}
        return TemplateResponse(request, "admin/hsds_import.html", context)


class AmparoAdminSite(HsdsAdminMixin, admin.AdminSite):
    login_form = StaffLoginForm
    site_header = _("Amparo staff")
    site_title = _("Amparo staff")
    index_title = _("Keep the directory accurate")

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        user = request.user
        return not requires_second_factor(user) or user.is_verified()
