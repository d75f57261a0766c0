"""Refusing an oversized request body before anything reads it.

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not count uploaded files, so without this a
1 GB upload is streamed to a temporary file in full before any form sees it. The proxy in
front (``client_max_body_size`` in the README's nginx site) should refuse it first; this is
the same limit for when the app is reached without one.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.html import escape

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>上传内容过大</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1 style="font-size: 1.25rem">上传内容过大</h1>
<p data-testid="request-too-large">{message}</p>
<p><a href="/">返回首页</a></p>
</body></html>"""


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit_mb = settings.KAIFAQU_REQUEST_MAX_MB
        size = _content_length(request)
        if size > limit_mb * 1024 * 1024:
            message = f"本次提交有 {size / 1024 / 1024:,.1f} MB，超过上限 {limit_mb} MB，请缩小文件后重试。"
            return HttpResponse(PAGE.format(message=escape(message)), status=413)
        return self.get_response(request)


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
