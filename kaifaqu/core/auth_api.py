"""The API's token endpoint, under the same lockout and audit as the login page."""

from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from kaifaqu.audit.middleware import client_ip
from kaifaqu.audit.models import AuditEntry
from kaifaqu.audit.trail import record_event

from .security import login_blocked


class ObtainToken(ObtainAuthToken):
    """用户名和密码换取 API 令牌。连续登录失败会被临时锁定（与登录页相同）。"""

    def post(self, request, *args, **kwargs):
        username = str(request.data.get("username", ""))[:150]
        reason = login_blocked(username, client_ip(request))
        if reason:
            record_event(action=AuditEntry.Action.LOGIN_FAILED, username=username, note="已锁定，未核对密码")
            return Response({"detail": reason}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(username=username).first()
            record_event(action=AuditEntry.Action.LOGIN, user=user, note="获取 API 令牌")
        return response
