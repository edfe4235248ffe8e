import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_portal.settings.base")
django.setup(set_prefix=False)  # as get_wsgi_application(), with the portal's handler

from ogp_portal.handlers import PortalWSGIHandler  # noqa: E402 - needs the apps set up

application = PortalWSGIHandler()
