"""Restore a backup made by backup_data into an empty database, all or nothing."""

import time

from django.core.management.base import BaseCommand, CommandError

from directory import backups


class Command(BaseCommand):
    help = ("Restore a backup made by backup_data into an empty, migrated database, in one "
            "transaction. Refuses a database that holds data, a damaged backup, or one made "
            "at other migrations.")

    def add_arguments(self, parser):
        parser.add_argument("backup", help="A backup directory, or the data.json inside it.")

    def handle(self, *args, backup, **options):
        started = time.monotonic()
        try:
            counts = backups.restore_backup(path=backup)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {sum(counts.values())} rows of {len(counts)} tables from {backup} in "
            f"{time.monotonic() - started:.1f} s.")
