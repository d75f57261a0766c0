from django.conf import settings

from .scoping import Perm, scope_for


def site(request) -> dict:
    user = getattr(request, "user", None)
    membership = None
    if user is not None and user.is_authenticated:
        membership = getattr(user, "membership", None) if hasattr(user, "membership") else None
    return {
        "SITE_NAME": "开发区调度平台",
        "DEMO_MODE": settings.DEMO,
        "user_unit": membership.unit if membership else None,
        "user_scope": scope_for(user) if user is not None else None,
        "can_view_audit": user is not None and scope_for(user).can_anywhere(Perm.AUDIT_VIEW),
        "unread_count": user.inbox.filter(read_at__isnull=True).count() if _signed_in(user) else 0,
        "can_set_channels": _signed_in(user) and Perm.ZONE_CHANGE in scope_for(user).permissions,
        "can_import": user is not None
        and any(
            scope_for(user).can_anywhere(perm)
            for perm in (Perm.PROJECT_CHANGE, Perm.PIPELINE_CHANGE, Perm.ENTERPRISE_CHANGE)
        ),
    }


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated
