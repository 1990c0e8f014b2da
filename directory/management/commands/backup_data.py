"""Write a complete backup: the database's own snapshot, portable data.json, manifest."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directory import backups


class Command(BaseCommand):
    help = ("Back up the whole database into a new timestamped directory: the database's "
            "own snapshot, every row as portable JSON, and a manifest. "
            "Restore it with restore_data.")

    def add_arguments(self, parser):
        parser.add_argument("--output", default=settings.BASE_DIR / "backups",
                            help="The directory to write the backup into (default: backups/).")

    def handle(self, *args, output, **options):
        started = time.monotonic()
        try:
            report = backups.create_backup(output_dir=output)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if report.snapshot_skipped:
            self.stderr.write(self.style.WARNING(report.snapshot_skipped))
        sizes = ", ".join(f"{name} {size / 1024:.0f} KiB" for name, size in report.sizes.items())
        self.stdout.write(
            f"Backed up {sum(report.counts.values())} rows of {len(report.counts)} tables to "
            f"{report.path} in {time.monotonic() - started:.1f} s ({sizes}).")
