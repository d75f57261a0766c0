"""Collecting every problem with a write before refusing it, so users fix all at once."""

from __future__ import annotations

from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models

from .money import amount_problem, is_money_field


class ErrorBag:
    """Field → messages, filled from checks and from ``ValidationError``s, raised once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str | None, message: str) -> None:
        self.errors.setdefault(field or NON_FIELD_ERRORS, []).append(message)

    def absorb(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    if message not in self.errors.get(field, []):
                        self.add(field, message)
        else:
            for message in error.messages:
                self.add(None, message)

    def has(self, field: str) -> bool:
        return field in self.errors

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


class EditConflict(ValidationError):
    """The record changed since the user loaded it; ``entries`` say who changed what meanwhile."""

    def __init__(self, message: str, *, current_version: int, entries: list) -> None:
        super().__init__(message, code="conflict")
        self.current_version = current_version
        self.entries = entries


def lock_unless_changed(instance: models.Model, expected_version: int | None, *, noun: str) -> models.Model:
    """The stored row of ``instance``, locked for this transaction; refused with who changed what
    when it moved past ``expected_version`` (the version the user's form or request was based on).
    ``noun`` names the record in the message (项目, 企业)."""
    from kaifaqu.audit.selectors import changes_since, describe_changes

    stored = type(instance).objects.select_for_update().get(pk=instance.pk)
    if expected_version is not None and stored.version != expected_version:
        entries = changes_since(stored, expected_version)
        raise EditConflict(
            f"在您打开之后，该{noun}已被修改：{describe_changes(entries)}。"
            "您的修改尚未保存；请核对后再次保存（再次保存将以您填写的内容为准）。",
            current_version=stored.version,
            entries=entries,
        )
    return stored


def full_clean_into(instance: models.Model, bag: ErrorBag, exclude: list[str] | None = None) -> None:
    """Run the model's own field, choice and uniqueness checks, collecting their messages
    (in our words), and refuse amounts beyond the sane bound."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        bag.absorb(in_our_words(instance, exc))
    check_amounts(instance, bag)


# ------------------------------------------------------------------ field messages in our words
#
# Django's and DRF's stock messages (确保该变量包含不超过 200 字符…, 确认总共不超过 14 个数字.)
# do not name the field and read like a translation. Forms, API serializers and model
# validation all take their messages from ``field_messages``, built from the field's name
# and limits, so the same mistake reads the same everywhere.

TEXT, DECIMAL, INTEGER, DATE, DATETIME, CHOICE, RELATION, BOOLEAN, OTHER = (
    "text",
    "decimal",
    "integer",
    "date",
    "datetime",
    "choice",
    "relation",
    "boolean",
    "other",
)


def short_label(label) -> str:
    """A field's name without its unit, for messages: 总投资（万元） → 总投资."""
    text = str(label or "")
    return text.split("（", 1)[0].split("(", 1)[0].strip() or text


def field_messages(
    label,
    kind: str,
    *,
    max_length: int | None = None,
    min_length: int | None = None,
    max_digits: int | None = None,
    decimal_places: int | None = None,
    min_value=None,
    max_value=None,
) -> dict[str, str]:
    """Error code → message for one field. The messages hold no ``%`` or ``{}``: the three
    frameworks format them differently, so they are written out in full here."""
    name = short_label(label)
    pick = kind in (CHOICE, RELATION)
    required = f"请选择{name}。" if pick else f"请填写{name}。"
    messages = {"required": required, "blank": required, "null": required}
    if max_length is not None:
        messages["max_length"] = f"{name}不能超过{max_length}个字。"
    if min_length is not None:
        messages["min_length"] = f"{name}至少{min_length}个字。"
    if min_value is not None:
        messages["min_value"] = f"{name}不能小于{min_value}。"
    if max_value is not None:
        messages["max_value"] = f"{name}不能大于{max_value}。"
    messages.update(_KIND_MESSAGES.get(kind, lambda *_: {})(name, max_digits, decimal_places))
    return messages


def _decimal_messages(name: str, max_digits, decimal_places) -> dict[str, str]:
    too_long = f"{name}数字过长：最多{max_digits}位，其中小数{decimal_places}位。"
    return {
        "invalid": f"{name}应为数字，如 1234.56。",
        "max_digits": too_long,
        "max_whole_digits": too_long,
        "max_string_length": too_long,
        "max_decimal_places": f"{name}最多保留{decimal_places}位小数。",
    }


_KIND_MESSAGES = {
    DECIMAL: _decimal_messages,
    INTEGER: lambda name, *_: {"invalid": f"{name}应为整数。", "max_string_length": f"{name}数字过长。"},
    DATE: lambda name, *_: {
        "invalid": f"{name}格式不正确，请填写如 2026-03-15 的日期。",
        "datetime": f"{name}应为日期，不带时间，如 2026-03-15。",
    },
    DATETIME: lambda name, *_: {
        "invalid": f"{name}格式不正确，请填写如 2026-03-15 09:30 的时间。",
        "invalid_date": f"{name}格式不正确，请填写如 2026-03-15 09:30 的时间。",
    },
    CHOICE: lambda name, *_: {"invalid_choice": f"所选{name}不在可选范围内，请从列表中选择。"},
    RELATION: lambda name, *_: {"invalid_choice": f"所选{name}不存在或您无权使用，请重新选择。"},
    BOOLEAN: lambda name, *_: {"invalid": f"{name}应为“是”或“否”。"},
}


def model_field_messages(field: models.Field) -> dict[str, str]:
    """``field_messages`` for a model field, from its verbose name and limits."""
    if field.is_relation:
        kind = RELATION
    elif field.choices:
        kind = CHOICE
    else:
        kind = next((k for cls, k in _MODEL_KINDS if isinstance(field, cls)), TEXT)
    return field_messages(
        field.verbose_name,
        kind,
        max_length=getattr(field, "max_length", None) if kind in (TEXT, CHOICE) else None,
        max_digits=getattr(field, "max_digits", None),
        decimal_places=getattr(field, "decimal_places", None),
    )


# DateTimeField before DateField: it is a subclass.
_MODEL_KINDS = (
    (models.DecimalField, DECIMAL),
    (models.DateTimeField, DATETIME),
    (models.DateField, DATE),
    (models.BooleanField, BOOLEAN),
    (models.IntegerField, INTEGER),
    (models.FloatField, DECIMAL),
)


def _stock_templates() -> frozenset[str]:
    """Django's own message templates, in the active language: only these are rewritten,
    so a message one of our validators chose (金额不能为负数。) is kept."""
    found = [
        validators.MaxLengthValidator.message,
        validators.MinLengthValidator.message,
        validators.MaxValueValidator.message,
        validators.MinValueValidator.message,
        *validators.DecimalValidator.messages.values(),
    ]
    for cls in (
        models.Field,
        models.CharField,
        models.DecimalField,
        models.DateField,
        models.DateTimeField,
        models.IntegerField,
        models.BooleanField,
        models.ForeignKey,
    ):
        found.extend(cls.default_error_messages.values())
    return frozenset(str(message) for message in found)


def in_our_words(instance: models.Model, error: ValidationError) -> ValidationError:
    """``error`` from ``full_clean`` with Django's stock field messages replaced by ours."""
    if not hasattr(error, "error_dict"):
        return error
    stock = _stock_templates()
    rewritten: dict[str, list[ValidationError]] = {}
    for name, errors in error.error_dict.items():
        if name == NON_FIELD_ERRORS:  # a clash on several fields: said at the field that names the record
            kept = []
            for e in errors:
                if e.code == "unique_together" and e.params:
                    field, message = _clash(instance, e.params["unique_check"])
                    rewritten.setdefault(field, []).append(ValidationError(message, code="unique_together"))
                else:
                    kept.append(e)
            if kept:
                rewritten.setdefault(name, []).extend(kept)
            continue
        try:
            ours = model_field_messages(instance._meta.get_field(name))
        except FieldDoesNotExist:
            ours = {}
        rewritten.setdefault(name, []).extend(
            ValidationError(ours[e.code], code=e.code) if e.code in ours and str(e.message) in stock else e
            for e in errors
        )
    return ValidationError(rewritten)


def _clash(instance: models.Model, fields: tuple[str, ...]) -> tuple[str, str]:
    """``(field, message)`` for a record clashing with another on ``fields`` (Django's stock “包含 开发区
    和 产业链名称 的 产业链 已经存在”): 开发区内已有产业链名称为“氢能”的产业链，请换一个产业链名称。"""
    labels = [str(instance._meta.get_field(name).verbose_name) for name in fields]
    last = fields[-1]
    value = getattr(instance, last, "")
    within = "、".join(labels[:-1])
    record = instance._meta.verbose_name
    return last, f"{within}内已有{labels[-1]}为“{value}”的{record}，请换一个{labels[-1]}。"


def check_amounts(instance: models.Model, bag: ErrorBag) -> None:
    """Refuse money fields beyond the sane bound (``core.money``), each under its own field."""
    for field in instance._meta.concrete_fields:
        if is_money_field(field) and not bag.has(field.name):
            problem = amount_problem(getattr(instance, field.attname), label=short_label(field.verbose_name))
            if problem:
                bag.add(field.name, problem)
