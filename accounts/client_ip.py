"""The client's address as login throttling must see it."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost one saw.

    Each proxy appends the address it received the request from to X-Forwarded-For,
    so the client is the entry just before the trusted proxies; anything further left
    was written by the client itself and cannot be trusted.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    chain = [*forwarded, remote]
    return chain[-(proxies + 1)] if len(chain) > proxies else remote
