"""ETag and Last-Modified for API responses, and the 304 answers they allow.

The ETag is a hash of the rendered body: always right (a change in any
nested object changes it) and free in queries. Last-Modified is the newest
`updated_at` among the objects in the body, including their nested objects.
If-None-Match wins over If-Modified-Since (RFC 9110), so clients that keep
ETags are never fooled by a deletion that Last-Modified cannot see.
"""

import hashlib

from django.utils.cache import get_conditional_response
from django.utils.http import http_date


def body_etag(content):
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def conditional(request, response, last_modified=None, etag=None):
    """Add validators to a rendered 200 response; return a 304 when the client is current."""
    etag = etag or body_etag(response.content)
    response.headers["ETag"] = etag
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response.headers["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
