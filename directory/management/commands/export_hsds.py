"""Write the public directory as HSDS 3.0: JSON per object type and the tabular datapackage."""

from django.core.management.base import BaseCommand

from directory.exporting import export_hsds


class Command(BaseCommand):
    help = ("Write the public directory as Open Referral HSDS 3.0 into OUTPUT_DIR: json/ with "
            "one file per object type, and a CSV per table with datapackage.json.")

    def add_arguments(self, parser):
        parser.add_argument("output_dir", help="Where to write; created if missing.")

    def handle(self, *args, output_dir, **options):
        written = export_hsds(output_dir=output_dir)
        self.stdout.write(f"Wrote {len(written)} files to {output_dir}.")
