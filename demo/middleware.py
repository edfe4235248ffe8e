from django.conf import settings

DEMO_HEADER = "X-Estado-Abierto-Demo"


def demo_header(get_response):
    """In demo mode every response, the API's included, says so; search engines skip it."""

    def middleware(request):
        response = get_response(request)
        if settings.PORTAL_DEMO:
            response[DEMO_HEADER] = "1"
            response["X-Robots-Tag"] = "noindex"
        return response

    return middleware
