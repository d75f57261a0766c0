from django.conf import settings

from .rights import May
from .scoping import scope_for


def site(request) -> dict:
    """What every page knows of its user: the unit, the scope, and ``may`` — the menu's one source.

    Menus and buttons ask ``may.<record>_<verb>`` (``may.ledger_import``, ``may.audit_view`` …), the
    same rules the services enforce, so no page offers what its service refuses. Views do not put
    their own ``can_*`` answers for the menu into the context.
    """
    user = getattr(request, "user", None)
    membership = None
    if _signed_in(user):
        membership = getattr(user, "membership", None) if hasattr(user, "membership") else None
    return {
        "SITE_NAME": "开发区调度平台",
        "DEMO_MODE": settings.DEMO,
        "user_unit": membership.unit if membership else None,
        "user_scope": scope_for(user) if user is not None else None,
        "may": May(user),
        "unread_count": user.inbox.filter(read_at__isnull=True).count() if _signed_in(user) else 0,
    }


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated
