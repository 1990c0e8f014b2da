import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.startup import refuse_missing_sqlite_file  # noqa: E402  (needs settings)

refuse_missing_sqlite_file()
