"""我的账号: what the signed-in user can see and end of their own access (the API token)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from .auth_api import api_tokens_revoke


@login_required
def account(request):
    token = Token.objects.filter(user=request.user).first()
    return render(request, "registration/account.html", {"token": token})


@require_POST
@login_required
def token_revoke(request):
    if api_tokens_revoke(request.user):
        messages.success(request, "API 令牌已撤销：使用它的程序须重新获取令牌。")
    else:
        messages.info(request, "您没有 API 令牌，无需撤销。")
    return redirect("account")
