"""Sending one message over one channel: the group robots' own JSON, signed where they ask for it.

- 企业微信群机器人: ``{"msgtype": "text", "text": {"content": ...}}``;
- 钉钉群机器人: the same body; with 加签, ``timestamp`` (ms) and ``sign`` = Base64(HMAC-SHA256(secret,
  "timestamp\\nsecret")) are added to the URL;
- 飞书群机器人: ``{"msg_type": "text", "content": {"text": ...}}``; with 签名校验, ``timestamp`` (s) and
  ``sign`` = Base64(HMAC-SHA256(key="timestamp\\nsecret", message="")) go in the body.
A robot answers HTTP 200 with an error code when it refuses; that counts as a failure too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail


class DeliveryError(Exception):
    pass


def wecom_payload(text: str) -> dict:
    return {"msgtype": "text", "text": {"content": text}}


def dingtalk_url(url: str, secret: str, now_ms: int) -> str:
    if not secret:
        return url
    digest = hmac.new(secret.encode(), f"{now_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={now_ms}&sign={sign}"


def feishu_payload(text: str, secret: str, now_s: int) -> dict:
    payload: dict = {"msg_type": "text", "content": {"text": text}}
    if secret:
        digest = hmac.new(f"{now_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
        payload |= {"timestamp": str(now_s), "sign": base64.b64encode(digest).decode()}
    return payload


VENDOR_HOSTS = {  # each robot's own public host (and its subdomains)
    "wecom": ("qyapi.weixin.qq.com",),
    "dingtalk": ("oapi.dingtalk.com",),
    "feishu": ("open.feishu.cn", "open.larksuite.com"),
}
VENDOR_TOKENS = {"wecom": "key", "dingtalk": "access_token"}  # 飞书's token is in the path
KIND_NAMES = {"wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书"}


def webhook_address_problem(kind: str, url: str) -> str | None:
    """Why a ``kind`` robot may not be called at ``url`` (in Chinese), or None when it may."""
    return checked_webhook_address(kind, url)[1]


def checked_webhook_address(kind: str, url: str) -> tuple[str, str | None]:
    """The address to call, rebuilt from the one parse that was checked, and why it may not be called.

    Allowed: its vendor's host over https on port 443, or a host the operators listed for a
    private deployment (KAIFAQU_WEBHOOK_HOSTS). The check and the send use the same parse, so
    an address two URL parsers read differently (``https://127.0.0.1\\@qyapi.weixin.qq.com/``)
    cannot pass the check as one host and be sent to another; backslashes, user names and
    passwords in the address are refused outright.
    """
    text = url.strip()
    parts = urllib.parse.urlsplit(text)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        return text, "Webhook 地址应以 https:// 开头。"
    if "…" in text:  # the page shows a stored address with its key cut to “…”: edited, it is no address
        return text, "地址中的密钥部分已隐藏：不改地址请保持原样，更换机器人请填写完整的新地址。"
    if "\\" in text or "@" in parts.netloc or any(ord(char) <= 0x20 for char in text):
        return text, "Webhook 地址中不能含反斜杠、空格、用户名或密码：请从群设置“添加机器人”复制完整的地址。"
    try:
        port = parts.port
    except ValueError:
        return text, "Webhook 地址的端口号有误。"
    address = urllib.parse.urlunsplit(parts)
    listed = [name.lower().strip() for name in settings.KAIFAQU_WEBHOOK_HOSTS if name.strip()]
    if _under(host, listed):
        return address, None
    official = VENDOR_HOSTS.get(kind, ())
    if not _under(host, official):
        return address, (
            f"不能向“{host}”发送：{KIND_NAMES.get(kind, '')}群机器人的地址应在 {'、'.join(official)}"
            "（内网私有部署的地址请运维人员加入 KAIFAQU_WEBHOOK_HOSTS）。"
        )
    if parts.scheme != "https":
        return address, "请使用 https:// 地址：机器人的密钥不能以明文传输。"
    if port not in (None, 443):
        return (
            address,
            f"{KIND_NAMES.get(kind, '')}群机器人只在 https 默认的 443 端口接收消息，地址中不能写端口 {port}。",
        )
    token = VENDOR_TOKENS.get(kind)
    if token and token not in urllib.parse.parse_qs(parts.query):
        return address, f"地址中缺少 {token}=…：请从群设置“添加机器人”复制完整的 Webhook 地址。"
    return address, None


def _under(host: str, names) -> bool:
    return any(host == name or host.endswith("." + name) for name in names)


def send_webhook(kind: str, url: str, secret: str, text: str) -> None:
    address, problem = checked_webhook_address(kind, url)
    if problem:
        raise DeliveryError(problem)
    now = time.time()
    if kind == "wecom":
        _post(address, wecom_payload(text))
    elif kind == "dingtalk":
        _post(dingtalk_url(address, secret, int(now * 1000)), wecom_payload(text))
    elif kind == "feishu":
        _post(address, feishu_payload(text, secret, int(now)))
    else:
        raise DeliveryError(f"不支持的渠道：{kind}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A robot answers where it is called; a redirect could lead past the allowed hosts."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(url: str, payload: dict) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with _OPENER.open(request, timeout=settings.KAIFAQU_WEBHOOK_TIMEOUT) as response:
            answer = response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"无法连接：{_reason(getattr(exc, 'reason', exc))}") from exc
    _check_answer(answer)


def _reason(reason) -> str:
    """Say in Chinese what the network said (the office reads this on the channels page)."""
    if isinstance(reason, ConnectionRefusedError):
        return "对方拒绝连接（地址或端口不对？）"
    if isinstance(reason, TimeoutError):
        return "连接超时"
    text = str(reason)
    if "Name or service not known" in text or "getaddrinfo" in text or "nodename" in text:
        return "找不到该域名（服务器能否访问外网或该地址？）"
    return text[:150]


def _check_answer(answer: bytes) -> None:
    """WeCom and DingTalk answer ``errcode``, Feishu ``code`` (or ``StatusCode``): 0 is success."""
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    for name in ("errcode", "code", "StatusCode"):
        if data.get(name) not in (None, 0):
            raise DeliveryError(f"{name}={data.get(name)} {data.get('errmsg') or data.get('msg') or ''}".strip())


def send_email(address: str, subject: str, text: str) -> None:
    if not settings.EMAIL_HOST:
        raise DeliveryError("未配置邮件服务器（KAIFAQU_EMAIL_HOST）")
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    except Exception as exc:  # any mail failure is recorded and retried
        raise DeliveryError(str(exc)[:200]) from exc
