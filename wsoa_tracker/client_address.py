"""The address a request came from, as sign-in throttling (django-axes) counts it.

Without a proxy it is the connection's own address (REMOTE_ADDR). Behind the council's
proxy (DJANGO_BEHIND_PROXY=1) every connection comes from the proxy, and the client's
address is in X-Forwarded-For. A client can send that header itself: a proxy that
*replaces* it leaves only the address it saw; one that *appends* leaves the client's
entries on the left and its own on the right. Either way the only entries we can trust
are the right-most ones, one per proxy of ours: with DJANGO_PROXY_COUNT proxies (default
1), the client is the PROXY_COUNT-th entry from the right. Anything to its left was
written by the client and is ignored.

If that entry is missing or is not an address (a proxy that sends no header, or one
count too many configured), the address cannot be known. Counting such requests under
a shared "no address" or under the proxy's address would put every client in one bucket,
so that ten wrong passwords from anyone lock the username for everyone. Instead the
sign-in is refused: ClientAddressUnknown is a SuspiciousOperation, which Django turns into
the 400 page (wsoa_tracker.errors.bad_request explains it) and logs under
django.security.ClientAddressUnknown; nothing is counted and nothing is stored.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import SuspiciousOperation


class ClientAddressUnknown(SuspiciousOperation):
    """Behind the proxy, X-Forwarded-For did not carry the address the proxy saw."""


def parse_address(entry):
    """One X-Forwarded-For entry as a normalised address, or None. Accepts "1.2.3.4",
    "1.2.3.4:port", "2001:db8::1" and "[2001:db8::1]:port"."""
    entry = entry.strip()
    if entry.startswith("["):
        host, bracket, _port = entry[1:].partition("]")
        entry = host if bracket else ""
    elif entry.count(":") == 1:
        entry = entry.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None


def client_address(request):
    """AXES_CLIENT_IP_CALLABLE: the client's address; raises ClientAddressUnknown behind
    the proxy when it cannot be determined."""
    if not settings.BEHIND_PROXY:
        return request.META.get("REMOTE_ADDR")
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    count = settings.PROXY_COUNT
    found = parse_address(entries[-count]) if len(entries) >= count else None
    if found is None:
        raise ClientAddressUnknown(
            f"Behind the proxy, X-Forwarded-For has no client address {count} "
            "entries from the right: check that the proxy sets it, and DJANGO_PROXY_COUNT"
        )
    return found
