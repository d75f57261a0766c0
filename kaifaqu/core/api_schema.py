"""The OpenAPI description in the users' language: sections named as the product names them."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

from .api_sections import SECTIONS


class SchemaInChinese(AutoSchema):
    def get_tags(self) -> list[str]:
        return [SECTIONS[tag][0] if tag in SECTIONS else tag for tag in super().get_tags()]
