"""REST API plumbing shared by every app: pagination, errors, scoped relations."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .validation import EditConflict


class Pagination(PageNumberPagination):
    page_size = settings.KAIFAQU_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """Services raise Django's ``ValidationError``: answer it as a 400 with field → messages.

    An edit based on an outdated version answers 409 with what changed meanwhile.
    """
    if isinstance(exc, EditConflict):
        changes = [
            {
                "user": entry.username,
                "at": entry.at.isoformat(),
                "action": entry.action,
                "changes": {label: {"old": old, "new": new} for label, old, new in entry.change_rows},
            }
            for entry in exc.entries
        ]
        return Response(
            {"detail": exc.message, "current_version": exc.current_version, "changes": changes},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary-key relation that only accepts rows the requesting user may see.

    An id outside the user's scope is answered exactly like one that does not exist.
    """

    default_error_messages = {
        "does_not_exist": "编号为 {pk_value} 的记录不存在，或您无权使用。",
        "incorrect_type": "应为记录编号（整数），收到的是 {data_type}。",
        "required": "该字段是必填项。",
        "null": "该字段不能为空。",
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return queryset.visible_to(user)


def service_fields(validated_data: dict, allowed) -> dict:
    """The validated values a service takes as ledger fields."""
    return {name: value for name, value in validated_data.items() if name in allowed}
