"""The staff admin: a second factor for anyone who can publish or manage accounts."""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
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
        max_length=16, widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                     "inputmode": "numeric"}))

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


class AmparoAdminSite(admin.AdminSite):
    login_form = StaffLoginForm
    site_header = _("Amparo staff")
    site_title = _("Amparo staff")
    index_title = _("Keep the directory accurate")

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        user = request.user
        return not requires_second_factor(user) or user.is_verified()
