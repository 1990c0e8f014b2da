"""Import HSDS 3.0 CSV tables: every record or none, with every problem reported."""

from django.core.management.base import BaseCommand, CommandError

from directory.importing import import_hsds, read_path


class Command(BaseCommand):
    help = ("Create or update directory records from HSDS 3.0 CSV tables (a directory "
            "written by export_hsds, or one CSV file). Any problem rejects the whole import.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="A directory of HSDS CSV files, or one CSV file.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Say what would change, and write nothing.")

    def handle(self, *args, path, dry_run, **options):
        report = import_hsds(files=read_path(path), dry_run=dry_run)
        for change in report.changes:
            self.stdout.write(str(change))
        if report.problems:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing was imported: {len(report.problems)} problems.")
        verb = "Would change" if dry_run else "Changed"
        self.stdout.write(f"{verb} {len(report.changes)} records.")
