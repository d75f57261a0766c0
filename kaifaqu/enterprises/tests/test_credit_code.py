import pytest
from django.core.exceptions import ValidationError

from kaifaqu.enterprises.credit_code import check_character, make_credit_code, validate_credit_code


def test_standard_example_is_valid():
    # The worked example of GB 32100-2015.
    assert check_character("91350100M000100Y4") == "3"
    validate_credit_code("91350100M000100Y43")


def test_lowercase_and_full_width_input_is_accepted():
    validate_credit_code("９１３５０１００ｍ０００１００ｙ４３")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "统一社会信用代码校验位错误：最后一位应为 3，实际为 4。"),
        ("91350100M000100Y4", "统一社会信用代码应为18位，当前为17位。"),
        ("91350100M000I00Y43", "统一社会信用代码含有无效字符：I（不使用 I、O、Z、S、V）。"),
    ],
)
def test_bad_codes_are_refused_in_chinese(code, message):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert caught.value.messages == [message]


def test_generated_codes_validate():
    for body in ("12345678", "00000001", "98765432"):
        code = make_credit_code("141181", body)
        validate_credit_code(code)
        assert code.startswith("91141181")
