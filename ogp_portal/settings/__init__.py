"""`ogp_portal.settings` is the base settings; `ogp_portal.settings.test` extends them.

Importing a submodule imports this package first, so base is loaded here only when
the package itself is the settings module: `test` must set its environment defaults
(SECRET_KEY, DEBUG) before base reads them.
"""

import os

if os.environ.get("DJANGO_SETTINGS_MODULE", "ogp_portal.settings") == "ogp_portal.settings":
    from .base import *  # noqa: F403
