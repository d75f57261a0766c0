import ipaddress

from django.conf import settings

from .context import audit_source


def client_ip(request) -> str | None:
    """The client's address. Behind proxies we were told to trust, the address the outermost of them
    saw: each proxy appends the address it received from, so with ``KAIFAQU_TRUSTED_PROXIES`` = n the
    n-th entry from the right. Entries left of it are whatever the client sent and prove nothing."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.KAIFAQU_TRUST_X_FORWARDED_FOR:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops:
            # Fewer entries than proxies: every entry was written by one of ours, the first one included.
            address = hops[-min(settings.KAIFAQU_TRUSTED_PROXIES, len(hops))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def source_of(request) -> str:
    if request.path.startswith("/api/"):
        return "api"
    if request.path.startswith("/admin/"):
        return "admin"
    return "page"


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_source(source_of(request), client_ip(request)):
            return self.get_response(request)
