"""Write the database-down page with today's hotlines; saving a hotline does it too."""

from django.core.management.base import BaseCommand

from directory.fallback import write_fallback_pages


class Command(BaseCommand):
    help = "Write the page served while the database is down, with the current hotlines."

    def handle(self, *args, **options):
        write_fallback_pages()
        self.stdout.write("Database-down pages written.")
