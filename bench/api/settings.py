"""Settings for the API benchmark: production settings plus a trivial comparison view."""

from ogp_portal.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.api.urls"
