"""企业经营数据 and 经营状态 (issue 22, first piece): who reports them, what is refused at its field,
the 经营状态 counts (未复工复产 N户) and the 升规潜力 list."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaifaqu.conftest import make_user
from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.figures import figures_save, status_counts, status_set, upgrade_candidates
from kaifaqu.enterprises.models import Enterprise, EnterpriseFigures
from kaifaqu.enterprises.services import enterprise_create
from kaifaqu.zones import roles
from kaifaqu.zones.models import Unit

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 30)


@pytest.fixture
def portal(xiaoyi_enterprise):
    unit = Unit.objects.create(kind="enterprise", enterprise=xiaoyi_enterprise, name=xiaoyi_enterprise.name)
    return make_user("pengfei-user", unit, roles.ENTERPRISE_USER)


def small(admin_user, xiaoyi, name: str, number: int) -> Enterprise:
    return enterprise_create(
        user=admin_user,
        fields={"name": name, "zone": xiaoyi, "credit_code": make_credit_code("141181", f"{number:08d}")},
    )


def test_an_enterprise_reports_its_own_year_and_only_its_own(
    portal, xiaoyi_enterprise, admin_user, xiaoyi, tunliu_staff
):
    fields = {"revenue": Decimal("52000"), "tax": Decimal("3100"), "land_mu": Decimal("420"), "employees": 1800}
    saved = figures_save(user=portal, enterprise=xiaoyi_enterprise, year=2025, fields=fields)
    assert saved.source == EnterpriseFigures.Source.ENTERPRISE and saved.energy_tce is None  # not given: 待补录
    corrected = figures_save(user=portal, enterprise=xiaoyi_enterprise, year=2025, fields={"tax": Decimal("3150")})
    assert corrected.pk == saved.pk and corrected.tax == Decimal("3150") and corrected.revenue == Decimal("52000")
    other = small(admin_user, xiaoyi, "孝义市金达机械有限公司", 22)
    with pytest.raises(PermissionDenied):
        figures_save(user=portal, enterprise=other, year=2025, fields={"revenue": Decimal(1)})
    with pytest.raises(PermissionDenied):  # 屯留's staff do not keep 孝义's 企业库
        figures_save(user=tunliu_staff, enterprise=other, year=2025, fields={"revenue": Decimal(1)})


def test_impossible_figures_are_refused_at_their_field_and_nothing_is_saved(xiaoyi_staff, xiaoyi_enterprise):
    with pytest.raises(ValidationError) as refused:
        figures_save(
            user=xiaoyi_staff,
            enterprise=xiaoyi_enterprise,
            year=2025,
            month=13,
            fields={"tax": Decimal("-5"), "land_mu": Decimal(0)},
        )
    errors = refused.value.message_dict
    assert errors["tax"] == ["税收（万元）不能为负数。"]
    assert errors["land_mu"] == ["用地面积为 0：没有自有用地的请留空。"]
    assert errors["month"] == ["月份“13”不对，应在 1 到 12 之间。"] and "__all__" not in errors
    assert not EnterpriseFigures.objects.exists()
    with pytest.raises(ValidationError, match="不认识的经营数据项：profit"):
        figures_save(user=xiaoyi_staff, enterprise=xiaoyi_enterprise, year=2025, fields={"profit": Decimal(1)})


def test_operating_states_are_counted_as_of_a_day(xiaoyi_staff, xiaoyi_enterprise, admin_user, xiaoyi):
    idle = small(admin_user, xiaoyi, "孝义市兴旺焦化有限公司", 31)
    paused = small(admin_user, xiaoyi, "孝义市宏达铸造有限公司", 32)
    small(admin_user, xiaoyi, "孝义市新建材料有限公司", 33)  # nothing recorded
    with pytest.raises(ValidationError) as refused:
        status_set(user=xiaoyi_staff, enterprise=idle, status="not_resumed", since=datetime.date(2026, 2, 1))
    assert refused.value.message_dict == {"reason": ["“未复工复产”须写明原因。"]}
    status_set(user=xiaoyi_staff, enterprise=xiaoyi_enterprise, status="normal", since=datetime.date(2026, 1, 1))
    status_set(
        user=xiaoyi_staff, enterprise=idle, status="not_resumed", since=datetime.date(2026, 2, 1), reason="环保限产"
    )
    status_set(
        user=xiaoyi_staff, enterprise=paused, status="partial", since=datetime.date(2026, 3, 1), reason="订单不足"
    )
    status_set(user=xiaoyi_staff, enterprise=paused, status="normal", since=datetime.date(2026, 7, 1))  # later
    counts = status_counts(Enterprise.objects.filter(zone=xiaoyi), on=DAY)
    assert counts["正常生产"] == 1 and counts["未复工复产"] == 1 and counts["半停产"] == 1 and counts["未登记"] == 1
    assert status_counts(Enterprise.objects.filter(zone=xiaoyi), on=datetime.date(2026, 7, 2))["正常生产"] == 2


def test_upgrade_candidates_are_the_non_scale_enterprises_near_the_threshold(xiaoyi_staff, admin_user, xiaoyi):
    near = small(admin_user, xiaoyi, "孝义市恒信精密有限公司", 41)
    reached = small(admin_user, xiaoyi, "孝义市顺达物流有限公司", 42)
    far = small(admin_user, xiaoyi, "孝义市小园食品有限公司", 43)
    for enterprise, this, last in ((near, "1750", "1400"), (reached, "2100", None), (far, "900", "800")):
        figures_save(user=xiaoyi_staff, enterprise=enterprise, year=2025, fields={"revenue": Decimal(this)})
        if last:
            figures_save(user=xiaoyi_staff, enterprise=enterprise, year=2024, fields={"revenue": Decimal(last)})
    found = upgrade_candidates(Enterprise.objects.filter(zone=xiaoyi), year=2025)
    assert [(c.enterprise.name, c.gap, c.growth_pct) for c in found] == [
        ("孝义市顺达物流有限公司", Decimal(0), None),  # reached 2000万元 this year: 小升规 to confirm
        ("孝义市恒信精密有限公司", Decimal(250), Decimal("25.0")),  # 1750 ≥ 80% of 2000, +25% on 1400
    ]


def test_the_years_of_xiaoshenggui_and_gezhuanqi_are_kept_and_checked(xiaoyi_staff, xiaoyi_enterprise):
    from kaifaqu.enterprises.services import enterprise_update

    with pytest.raises(ValidationError) as refused:
        enterprise_update(
            user=xiaoyi_staff, enterprise=xiaoyi_enterprise, fields={"is_above_scale": False, "above_scale_year": 2025}
        )
    assert "应勾选“规上企业”" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        enterprise_update(
            user=xiaoyi_staff,
            enterprise=Enterprise.objects.get(pk=xiaoyi_enterprise.pk),
            fields={"converted_year": 3025},
        )
    assert "个转企年度“3025”不对" in str(refused.value)
    saved = enterprise_update(
        user=xiaoyi_staff,
        enterprise=Enterprise.objects.get(pk=xiaoyi_enterprise.pk),
        fields={"is_above_scale": True, "above_scale_year": 2025},
    )
    assert saved.above_scale_year == 2025
