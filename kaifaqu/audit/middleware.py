import ipaddress

from django.conf import settings

from .context import audit_source


def client_ip(request) -> str | None:
    """The client's address: the first X-Forwarded-For hop only behind a proxy we were told to trust."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.KAIFAQU_TRUST_X_FORWARDED_FOR:
        address = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip() or address
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
