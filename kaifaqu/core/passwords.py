"""Password strength beyond Django's validators: mixed kinds of characters."""

from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda ch: not ch.isalnum()),
)


class CharacterClassesValidator:
    """At least three of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        present = {name for name, test in CLASSES if any(test(ch) for ch in password)}
        if len(present) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类（目前只有"
                f"{'、'.join(name for name, _ in CLASSES if name in present) or '0 类'}）。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class MinimumLengthValidator:
    """At least ``min_length`` characters (Django's own message is not translated for every count)."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码长度太短：至少需要 {self.min_length} 个字符（目前 {len(password)} 个）。",
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
