"""Print what is overdue for checking, oldest first, e.g. for a weekly email."""

from django.core.management.base import BaseCommand

from directory.checking import overdue_records
from directory.models import Region


class Command(BaseCommand):
    help = "List the records past their checking interval, by kind, oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--region", help="Only this region (its slug) and the ones inside.")

    def handle(self, *args, region=None, **options):
        place = Region.objects.filter(slug=region).first() if region else None
        groups = overdue_records(region=place)
        for model, records in groups:
            self.stdout.write(f"{str(model._meta.verbose_name_plural).capitalize()} "
                              f"({len(records)})")
            for record in records:
                checked = getattr(record, "last_verified_on",
                                  getattr(record, "last_checked_on", None))
                self.stdout.write(f"  {checked or 'never'}  {record}")
        if not groups:
            self.stdout.write("Nothing is overdue.")
