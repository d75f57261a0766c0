"""项目代码: the code the investment-project approval platform gives a filed project.

Format ``YYYY-XXXXXX-XX-XX-XXXXXX``: year, the six-digit region code where it was
filed, the industry code, the approval kind, and a serial number.
"""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from kaifaqu.core.text import clean_code

PATTERN = re.compile(r"^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})$")
FORMAT_HINT = "YYYY-XXXXXX-XX-XX-XXXXXX（如 2025-141181-26-03-012345）"


def normalise_project_code(value: str | None) -> str:
    # Codes are pasted from the platform, often with full-width dashes (－) or spaces.
    code = clean_code(value)
    return code.replace("—", "-").replace("–", "-")


def validate_project_code(value: str) -> None:
    code = normalise_project_code(value)
    match = PATTERN.match(code)
    if not match:
        raise ValidationError(
            "项目代码格式不正确：应为 %(hint)s，实际为“%(value)s”。",
            code="format",
            params={"hint": FORMAT_HINT, "value": value},
        )
    year = int(match.group(1))
    latest = timezone.localdate().year + 1
    if not 2000 <= year <= latest:
        raise ValidationError(
            "项目代码的年份 %(year)d 不合理（应在 2000 至 %(latest)d 之间）。",
            code="year",
            params={"year": year, "latest": latest},
        )
