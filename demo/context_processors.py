from django.conf import settings


def demo_mode(request):
    """`demo_mode` for templates: base.html shows the demo banner when it is on."""
    return {"demo_mode": settings.PORTAL_DEMO}
