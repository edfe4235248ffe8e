"""Swagger UI and Redoc, served from our own static files under the strict CSP.

Swagger UI: drf-spectacular's "split" view loads its start-up script from a
second same-origin request, so `script-src 'self'` is enough; our template
moves the page's small inline <style> into a static file, so `style-src
'self'` holds too. Nothing is relaxed for it.

Redoc renders with styled-components, which inserts <style> elements at run
time, and builds its search index in a blob: Web Worker. Its view alone gets
`style-src 'self' 'unsafe-inline'` and `worker-src 'self' blob:`; scripts stay
'self' only, and the page has no inline script and no web fonts from a CDN.
"""

from django.conf import settings
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


def redoc_policy():
    policy = dict(settings.SECURE_CSP)
    policy["style-src"] = [CSP.SELF, CSP.UNSAFE_INLINE]
    policy["worker-src"] = [CSP.SELF, "blob:"]
    return policy


@method_decorator(csp_override(redoc_policy()), name="dispatch")
class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"
