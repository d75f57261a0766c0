"""The API's token endpoint, under the same lockout and audit as the login page; tokens end with the web logout."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from kaifaqu.audit.middleware import client_ip
from kaifaqu.audit.models import AuditEntry
from kaifaqu.audit.trail import record_event

from .security import LOCKED_NOTE, login_blocked


class ObtainToken(ObtainAuthToken):
    """用户名和密码换取 API 令牌。连续登录失败会被临时锁定（与登录页相同）。"""

    def post(self, request, *args, **kwargs):
        username = str(request.data.get("username", ""))[:150]
        reason = login_blocked(username, client_ip(request))
        if reason:
            record_event(action=AuditEntry.Action.LOGIN_FAILED, username=username, note=LOCKED_NOTE)
            return Response({"detail": reason}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(username=username).first()
            record_event(action=AuditEntry.Action.LOGIN, user=user, note="获取 API 令牌")
        return response


def api_tokens_revoke(user) -> int:
    """Delete the user's API token(s); how many there were. A token works until revoked, so it is
    revoked with the web session (logout) and whenever the user asks (我的账号)."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


@receiver(user_logged_out)
def _revoke_on_logout(sender, request, user, **kwargs):
    # Logging out means "this account is no longer in use here": a token left behind would
    # still read and write the ledger with no trace of it on any page.
    if user is not None:
        api_tokens_revoke(user)
