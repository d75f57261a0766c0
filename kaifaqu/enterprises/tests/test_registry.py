"""The enterprise registry's service fields: 上市, GB/T 4754 大类, 包联干部 and 包联领导."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from kaifaqu.enterprises.models import IndustryClass
from kaifaqu.enterprises.services import enterprise_update


def test_the_classification_ships_as_data(db):
    assert IndustryClass.objects.filter(parent__isnull=True).count() == 20
    assert IndustryClass.objects.filter(parent__isnull=False).count() == 97
    coking = IndustryClass.objects.get(code="25")
    assert (coking.name, coking.parent.name) == ("石油、煤炭及其他燃料加工业", "制造业")
    assert str(coking) == "C25 石油、煤炭及其他燃料加工业"


def test_liaison_flags_and_class_on_the_page_and_in_the_ledger(client, xiaoyi_staff, xiaoyi_enterprise, tunliu_staff):
    enterprise_update(
        user=xiaoyi_staff,
        enterprise=xiaoyi_enterprise,
        fields={
            "is_listed": True,
            "industry_class": IndustryClass.objects.get(code="25"),
            "liaison": xiaoyi_staff,
            "liaison_leader": "王建军",
        },
    )
    with pytest.raises(ValidationError, match="包联干部须是该企业所在开发区的工作人员"):
        enterprise_update(user=xiaoyi_staff, enterprise=xiaoyi_enterprise, fields={"liaison": tunliu_staff})
    client.force_login(xiaoyi_staff)
    page = client.get(f"/enterprises/{xiaoyi_enterprise.pk}/").content.decode()
    assert "上市" in page and "C25 石油、煤炭及其他燃料加工业" in page and "王建军" in page
    exported = client.get("/imports/export/enterprises/", {"format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    header = next(row for row in rows if row and "企业名称" in row)
    line = next(row for row in rows if row and "山西鹏飞集团有限公司" in row)
    record = dict(zip(header, line, strict=False))
    assert (record["上市企业"], record["包联领导"], record["国民经济行业"]) == (
        "是",
        "王建军",
        "C25 石油、煤炭及其他燃料加工业",
    )


def test_the_ledger_import_reads_the_class_back(xiaoyi_staff, xiaoyi_enterprise, tmp_path):
    from kaifaqu.enterprises.ledger import industry_class
    from kaifaqu.sheets.values import CellError

    assert industry_class("C25 石油、煤炭及其他燃料加工业").code == "25"
    assert industry_class("26").name == "化学原料和化学制品制造业"
    assert industry_class("医药制造业").code == "27"
    with pytest.raises(CellError, match="不是国民经济行业"):
        industry_class("焦化")
