"""The enterprise ledger's 包联干部 column: written by the export, read back by the import."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from kaifaqu.audit.models import AuditEntry
from kaifaqu.conftest import make_user
from kaifaqu.enterprises.ledger import export_enterprises_xlsx
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.imports.engine import run_import
from kaifaqu.imports.registry import ledger_kind
from kaifaqu.imports.tests.files import write_xlsx
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

pytestmark = pytest.mark.django_db

NAME = "山西鹏飞集团有限公司"


@pytest.fixture
def zhang(xiaoyi):
    return named(make_user("zhangsan", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER), "张三")


def named(user, full_name: str):
    user.first_name = full_name
    user.save(update_fields=["first_name"])
    return user


def export(path, zone):
    with open(path, "wb") as handle:
        export_enterprises_xlsx(handle, Enterprise.objects.filter(zone=zone))
    return path


def import_file(path, zone, user):
    return run_import(ledger_kind("enterprises"), path, extension="xlsx", zone=zone, user=user, commit=True)


def liaison_of(enterprise):
    return Enterprise.objects.get(pk=enterprise.pk).liaison


def test_an_exported_liaison_reads_back_unchanged(tmp_path, xiaoyi, xiaoyi_enterprise, xiaoyi_staff, zhang):
    # A namesake in the zone: the name alone would be ambiguous, but it names the present 包联干部.
    named(make_user("zhangsan2", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER), "张三")
    Enterprise.objects.filter(pk=xiaoyi_enterprise.pk).update(liaison=zhang)
    path = export(tmp_path / "企业.xlsx", xiaoyi)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    header = next(row for row in rows if row and "企业名称" in row)
    line = next(row for row in rows if row and NAME in row)
    assert dict(zip(header, line, strict=False))["包联干部"] == "张三"
    entries = AuditEntry.objects.count()
    result = import_file(path, xiaoyi, xiaoyi_staff)
    assert (result.errors, result.unchanged, result.updated) == ([], 1, 0)
    assert liaison_of(xiaoyi_enterprise) == zhang and AuditEntry.objects.count() == entries


def test_a_cell_naming_a_zone_member_sets_the_liaison(tmp_path, xiaoyi, xiaoyi_enterprise, xiaoyi_staff, zhang):
    path = write_xlsx(tmp_path / "包联.xlsx", [["企业名称", "包联干部"], [NAME, "张三"]])
    result = import_file(path, xiaoyi, xiaoyi_staff)
    assert (result.errors, result.updated) == ([], 1)
    assert result.outcomes[0].changes == {"包联干部": ("", "张三")}
    assert liaison_of(xiaoyi_enterprise) == zhang

    by_username = write_xlsx(tmp_path / "用户名.xlsx", [["企业名称", "包联干部"], [NAME, "xiaoyi-staff"]])
    assert import_file(by_username, xiaoyi, xiaoyi_staff).updated == 1
    assert liaison_of(xiaoyi_enterprise) == xiaoyi_staff

    # An empty cell clears it, as it does 包联领导; a file without the column leaves it alone.
    blank = write_xlsx(tmp_path / "空.xlsx", [["企业名称", "包联干部"], [NAME, None]])
    assert import_file(blank, xiaoyi, xiaoyi_staff).updated == 1
    assert liaison_of(xiaoyi_enterprise) is None


def test_a_stranger_or_an_ambiguous_name_is_a_row_error(
    tmp_path, xiaoyi, xiaoyi_enterprise, xiaoyi_staff, tunliu_staff, zhang
):
    Enterprise.objects.filter(pk=xiaoyi_enterprise.pk).update(liaison=xiaoyi_staff)
    named(tunliu_staff, "王五")
    named(make_user("zhangsan2", Unit.objects.get(zone=xiaoyi), roles.PROJECT_OFFICER), "张三")
    path = write_xlsx(
        tmp_path / "包联.xlsx",
        [["企业名称", "联系电话", "包联干部"], [NAME, "0358-7654321", "王五"], ["孝义新材料有限公司", None, "张三"]],
    )
    result = import_file(path, xiaoyi, xiaoyi_staff)
    assert [error.message for error in result.errors] == [
        "第2行 包联干部: “王五”不是孝义经开区的成员",
        "第3行 包联干部: “张三”对应多人（zhangsan、zhangsan2），请填写用户名",
    ]
    assert not result.committed
    enterprise = Enterprise.objects.get(pk=xiaoyi_enterprise.pk)
    assert (enterprise.liaison, enterprise.contact_phone) == (xiaoyi_staff, "")
    assert Enterprise.objects.count() == 1
