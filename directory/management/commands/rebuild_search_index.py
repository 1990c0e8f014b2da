"""Remake the search index from the records and notices, e.g. after a restore or a bulk load."""

import time

from django.core.management.base import BaseCommand

from directory.search import rebuild_index


class Command(BaseCommand):
    help = "Empty the search index and index every published record and notice again."

    def handle(self, *args, **options):
        started = time.monotonic()
        written = rebuild_index()
        self.stdout.write(f"Search index rebuilt: {written} entries in "
                          f"{time.monotonic() - started:.1f} s.")
