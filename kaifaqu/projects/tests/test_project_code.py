import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kaifaqu.projects.project_code import normalise_project_code, validate_project_code


def test_valid_code():
    validate_project_code("2025-141181-26-03-012345")


def test_pasted_code_with_full_width_dashes_is_normalised():
    assert normalise_project_code(" 2025－141181－26－03－012345 ") == "2025-141181-26-03-012345"
    validate_project_code("2025－141181－26－03－012345")


@pytest.mark.parametrize("code", ["2025-141181-26-03-01234", "2025141181260301234X", "2025-14118A-26-03-012345", ""])
def test_bad_format_names_the_expected_format(code):
    with pytest.raises(ValidationError) as caught:
        validate_project_code(code)
    assert "项目代码格式不正确：应为 YYYY-XXXXXX-XX-XX-XXXXXX" in caught.value.messages[0]


def test_implausible_year_is_refused():
    future = timezone.localdate().year + 2
    with pytest.raises(ValidationError) as caught:
        validate_project_code(f"{future}-141181-26-03-012345")
    assert f"项目代码的年份 {future} 不合理" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        validate_project_code("1999-141181-26-03-012345")
