"""Load the sample data from the two Denver7 articles; safe to run again."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = ("Load the sample records and notices named in the two Denver7 articles. "
            "Running it again changes nothing.")

    def handle(self, *args, **options):
        # Each app that has sample data brings its own `sample_data` module, loaded in
        # INSTALLED_APPS order; the directory never needs to know the other apps.
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.sample_data"
                if find_spec(module_name) is None:
                    continue
                report = import_module(module_name).load_sample_data()
                self.stdout.write(f"{app_config.verbose_name}: {report.summary()}")
