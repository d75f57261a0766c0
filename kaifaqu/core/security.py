"""Security headers and login lockout.

The Content Security Policy allows only the app's own scripts, styles, fonts and images:
every asset is served by the app (offline intranets), so nothing else is ever needed, and
an injected ``<script>`` or a link to an outside host simply does not run or load. The
third-party pages we serve as they come (the admin site, the API docs) use inline styles;
they get ``'unsafe-inline'`` for styles only, never for scripts.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

_COMMON = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
STRICT_POLICY = "; ".join(f"{name} {value}" for name, value in _COMMON.items())
THIRD_PARTY_POLICY = "; ".join(
    f"{name} {value}"
    for name, value in (_COMMON | {"style-src": "'self' 'unsafe-inline'", "worker-src": "'self' blob:"}).items()
)
THIRD_PARTY_PAGES = ("/admin/", "/api/docs/")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            third_party = request.path.startswith(THIRD_PARTY_PAGES)
            response["Content-Security-Policy"] = THIRD_PARTY_POLICY if third_party else STRICT_POLICY
        return response


LOCKED_NOTE = "已锁定，未核对密码"  # a refusal while locked: recorded, but not a password guess


def login_blocked(username: str, ip: str | None) -> str | None:
    """Why a login from ``ip`` as ``username`` is refused right now, or ``None``.

    Failed logins are counted from the audit trail (one record of them, shared by every
    worker process) within the lockout window: per address; per account and address pair
    since the account's last successful login; and per account from anywhere, at a higher
    count, so a stranger guessing from one address locks only that address out of the
    account, not the office that owns it. Refusals while locked are not guesses and do not
    count towards the account's locks (else hammering a locked pair would lock the account).
    """
    from kaifaqu.audit.models import AuditEntry

    minutes = settings.KAIFAQU_LOCKOUT_MINUTES
    since = timezone.now() - datetime.timedelta(minutes=minutes)
    failures = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, at__gte=since)
    if ip and failures.filter(ip=ip).count() >= settings.KAIFAQU_LOCKOUT_PER_IP:
        return f"该地址登录失败次数过多，已暂停登录，请 {minutes} 分钟后再试。"
    if not username:
        return None
    guesses = _account_guesses(failures, username, since)
    if ip and guesses.filter(ip=ip).count() >= settings.KAIFAQU_LOCKOUT_PER_USER_AND_IP:
        return f"该账号在此地址登录失败次数过多，已临时锁定，请 {minutes} 分钟后再试或联系系统管理员。"
    if guesses.count() >= settings.KAIFAQU_LOCKOUT_PER_USER:
        return f"该账号登录失败次数过多，已临时锁定，请 {minutes} 分钟后再试或联系系统管理员。"
    return None


def _account_guesses(failures, username: str, since):
    """The account's wrong passwords since its last successful login (within the window)."""
    from kaifaqu.audit.models import AuditEntry

    last_login = (
        AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, username=username, at__gte=since)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    guesses = failures.filter(username=username).exclude(note=LOCKED_NOTE)
    if last_login is not None:
        guesses = guesses.filter(at__gt=last_login)
    return guesses
