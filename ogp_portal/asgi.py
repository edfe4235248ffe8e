import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_portal.settings.base")
django.setup(set_prefix=False)  # as get_asgi_application(), with the portal's handler

from ogp_portal.handlers import PortalASGIHandler  # noqa: E402 - needs the apps set up

application = PortalASGIHandler()
