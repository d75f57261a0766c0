"""REST API plumbing shared by every app: pagination, errors, scoped relations."""

from __future__ import annotations

from django.conf import settings
from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .validation import (
    BOOLEAN,
    CHOICE,
    DATE,
    DATETIME,
    DECIMAL,
    INTEGER,
    RELATION,
    TEXT,
    EditConflict,
    field_messages,
    short_label,
)


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


# ------------------------------------------------------------------ messages in our words

# Subclasses before their bases (a multiple choice is a choice).
_API_KINDS = (
    (serializers.RelatedField, RELATION),
    (serializers.ManyRelatedField, RELATION),
    (serializers.ChoiceField, CHOICE),
    (serializers.BooleanField, BOOLEAN),
    (serializers.DecimalField, DECIMAL),
    (serializers.FloatField, DECIMAL),
    (serializers.IntegerField, INTEGER),
    (serializers.DateTimeField, DATETIME),
    (serializers.DateField, DATE),
    (serializers.CharField, TEXT),
)
_LIMITS = {
    validators.MaxLengthValidator: "max_length",
    validators.MinLengthValidator: "min_length",
    validators.MaxValueValidator: "max_value",
    validators.MinValueValidator: "min_value",
}


def use_our_messages(name: str, field: serializers.Field) -> None:
    """Put ``core.validation.field_messages`` on a serializer field, as the forms have them."""
    kind = next((k for cls, k in _API_KINDS if isinstance(field, cls)), None)
    label = field.label or name
    if kind is None:
        return
    if kind == BOOLEAN:
        ours = {"required": f"请填写{short_label(label)}。", "invalid": f"{short_label(label)}应为 true 或 false。"}
    else:
        ours = field_messages(label, kind, **{key: getattr(field, key, None) for key in _FIELD_LIMITS})
    if kind == RELATION:  # ScopedRelatedField says which record is missing: keep that
        ours = {code: ours[code] for code in ("required", "null")}
    field.error_messages.update({code: message for code, message in ours.items() if code in field.error_messages})
    # DRF words its length and range checks into the validators when the field is built.
    field.validators = [_reworded(validator, field, ours) for validator in field.validators]


_FIELD_LIMITS = ("max_length", "min_length", "max_digits", "decimal_places", "min_value", "max_value")


def _reworded(validator, field, ours: dict[str, str]):
    limit = _LIMITS.get(type(validator))
    if limit is None or limit not in ours or validator.limit_value != getattr(field, limit, None):
        return validator
    return type(validator)(validator.limit_value, message=ours[limit])


class OurMessagesMixin:
    """Every field of the serializer answers a bad value in our words (项目名称不能超过200个字。)."""

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            use_our_messages(name, field)
        return fields


class ModelSerializer(OurMessagesMixin, serializers.ModelSerializer):
    """The base of the API's model serializers."""


class Serializer(OurMessagesMixin, serializers.Serializer):
    """The base of the API's plain serializers (a stage move, say)."""
