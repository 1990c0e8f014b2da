"""Load the sample directory from the two Denver7 articles; safe to run again."""

from django.core.management.base import BaseCommand

from directory.sample_data import load_sample_data


class Command(BaseCommand):
    help = ("Load the sample directory records named in the two Denver7 articles. "
            "Running it again changes nothing.")

    def handle(self, *args, **options):
        report = load_sample_data()
        self.stdout.write(report.summary())
