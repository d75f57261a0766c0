"""Collecting every problem with a write before refusing it, so users fix all at once."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


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


def full_clean_into(instance: models.Model, bag: ErrorBag, exclude: list[str] | None = None) -> None:
    """Run the model's own field, choice and uniqueness checks, collecting their messages."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        bag.absorb(exc)
