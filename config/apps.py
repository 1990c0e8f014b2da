from django.contrib.admin.apps import AdminConfig


class AmparoAdminConfig(AdminConfig):
    """Django's admin, served by Amparo's site (a second factor for publishers)."""

    default_site = "config.admin_site.AmparoAdminSite"
