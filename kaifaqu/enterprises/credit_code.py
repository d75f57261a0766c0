"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character."""

from django.core.exceptions import ValidationError

from kaifaqu.core.text import clean_code

# The standard's alphabet: digits and capital letters without I, O, Z, S, V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(value: str | None) -> str:
    return clean_code(value)


def validate_credit_code(value: str) -> None:
    """Raise a ``ValidationError`` in Chinese naming what is wrong with the code."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            "统一社会信用代码应为18位，当前为%(length)d位。", code="length", params={"length": len(code)}
        )
    bad = sorted({char for char in code if char not in ALPHABET})
    if bad:
        raise ValidationError(
            "统一社会信用代码含有无效字符：%(chars)s（不使用 I、O、Z、S、V）。",
            code="charset",
            params={"chars": "、".join(bad)},
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            "统一社会信用代码校验位错误：最后一位应为 %(expected)s，实际为 %(actual)s。",
            code="check_digit",
            params={"expected": expected, "actual": code[17]},
        )


# GB 11714: the organisation code inside the credit code (characters 9-17) has its own check.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def make_credit_code(region_code: str, org_body: str, *, kind: str = "91") -> str:
    """Build a well-formed code from a region code and an 8-digit organisation body.

    Used for demo and synthetic data: the result passes ``validate_credit_code`` but
    belongs to no real enterprise.
    """
    remainder = 11 - sum(int(digit) * weight for digit, weight in zip(org_body, ORG_WEIGHTS, strict=True)) % 11
    org_check = {10: "X", 11: "0"}.get(remainder, str(remainder))
    first17 = f"{kind}{region_code}{org_body}{org_check}"
    return first17 + check_character(first17)
