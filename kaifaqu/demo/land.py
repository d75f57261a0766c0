"""Demo 标准地 and 亩均 (issue 22) for 孝义 and 灵石.

- Each enterprise of the two zones reports its last two complete years (产值, 营收, 增加值, 税收, 用工,
  能耗, 研发, 用地, 建筑面积), in magnitudes a coal-chemistry and coking zone has (a 规上 焦化 plant:
  hundreds of 亩, 亿元 of revenue; a small workshop: a few 亩), drawn with a fixed seed; a few leave
  能耗 or 研发 empty (待补录), one has not reported the last year at all, two are below 3 亩.
- 灵石 (seed 003) has eight more industrial enterprises than the ledger's two, as its 园区 has.
- Two non-规上 enterprises near 2000万元 of revenue (升规潜力), 小升规 and 个转企 years, and the
  经营状态 the seeds speak of (未复工复产, 停产 with their reasons).
- Each zone's 亩均效益综合评价 (浙江's method) graded for both years, so the list shows moves.
- Parcels: 灵石's 14 宗 of 标准地 sold 2022–2025 (seed 003), 孝义's eight, every new industrial parcel
  sold as 标准地 (出让率 100%), with their control indicators, the 区域评估 they carry, the buyers'
  promises checked for the last year (some 达标, some short, one left 待补录), one parcel idle two
  years after its sale with a 约谈 on record, and parcels in 储备 and 挂牌.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from decimal import Decimal

from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.figures import figures_save, status_set
from kaifaqu.enterprises.models import Enterprise, EnterpriseFigures, OperatingStatus
from kaifaqu.enterprises.services import enterprise_create, enterprise_update
from kaifaqu.land.models import Disposal, Parcel
from kaifaqu.land.parcels import assessment_save, check_promise, disposal_record, parcel_save, project_investment
from kaifaqu.land.services import default_scheme, grade_year
from kaifaqu.projects.models import Project
from kaifaqu.zones.models import Zone

ZONES = ("孝义", "灵石")
LINGSHI_MORE = (
    ("灵石县中煤九鑫焦化有限责任公司", "焦化", True),
    ("山西灵石华瀛冀鑫源煤业有限公司", "煤炭洗选", True),
    ("灵石县翠峰镇宏源铸造有限公司", "铸造", False),
    ("山西灵石天聚富家源煤业有限公司", "煤炭洗选", True),
    ("灵石县恒跃新材料科技有限公司", "碳基新材料", False),
    ("山西灵石荣欣精细化工有限公司", "精细化工", False),
    ("灵石县两渡镇盛达建材有限公司", "建材", False),
    ("山西灵石红杏酒业有限公司", "食品饮料", False),
)
TWO = Decimal("0.01")


def demo_land(*, admin, today: datetime.date) -> int:
    """Figures, statuses and grades of 孝义 and 灵石; returns the number of enterprise-years written."""
    rng = random.Random(22)
    last = today.year - 1
    written = 0
    for short in ZONES:
        zone = Zone.objects.get(short_name__startswith=short)
        if short == "灵石":
            _lingshi_enterprises(admin, zone)
        enterprises = list(Enterprise.objects.filter(zone=zone).order_by("name"))
        for index, enterprise in enumerate(enterprises):
            written += _years(admin, enterprise, index, rng, last)
        _statuses(admin, enterprises, today)
        scheme = default_scheme(user=admin, zone=zone)
        for year in (last - 1, last):
            grade_year(user=admin, scheme=scheme, year=year)
        _parcels(admin, zone, rng, today, count=14 if short == "灵石" else 8)
    return written


# 区域评估 done once for the parks (吕梁: 区域评估…土地带标), carried by every parcel sold there.
ASSESSMENTS = (
    ("minerals", "评估区内未压覆重要矿产资源", "晋自然资函〔2021〕312号"),
    ("geohazard", "地质灾害危险性小，适宜建设", "地灾评备〔2021〕45号"),
    ("soil_water", "区域水土保持方案已批复", "晋水保函〔2021〕88号"),
    ("relics", "未发现地下文物遗存", ""),
    ("flood", "不在洪水影响范围内", ""),
    ("seismic", "按Ⅶ度抗震设防", "晋震安评〔2021〕7号"),
    ("environment", "规划环评审查通过", "晋环审〔2021〕56号"),
)
# (出让年, 月, 状态 reached): 灵石's 14 宗 of 2022–2025; 孝义 takes the first eight.
SALES = (
    (2022, 4, "accepted"), (2022, 7, "producing"), (2022, 10, "producing"),
    (2023, 3, "producing"), (2023, 5, "sold"), (2023, 8, "producing"), (2023, 11, "started"),
    (2024, 2, "producing"), (2024, 5, "started"), (2024, 8, "started"), (2024, 11, "sold"),
    (2025, 3, "started"), (2025, 6, "sold"), (2025, 9, "sold"),
)  # fmt: skip


def _parcels(admin, zone: Zone, rng: random.Random, today: datetime.date, *, count: int) -> None:
    prefix = "灵石" if zone.short_name.startswith("灵石") else "孝义"
    parks = list(zone.parks.order_by("id"))
    last = today.year - 1
    rows = {
        row.enterprise_id: row
        for row in EnterpriseFigures.objects.filter(enterprise__zone=zone, year=last, month__isnull=True)
        .exclude(land_mu__lt=3)
        .exclude(land_mu__isnull=True)
        .exclude(tax__isnull=True)
    }
    buyers = list(Enterprise.objects.filter(pk__in=rows).order_by("name"))
    sales = [sale for sale in SALES if datetime.date(sale[0], sale[1], 28) <= today][:count]
    for index, (year, month, status) in enumerate(sales):
        buyer = buyers[index % len(buyers)] if buyers else None
        figures = rows.get(buyer.pk) if buyer else None
        area = figures.land_mu if figures and status in ("producing", "accepted") else Decimal(rng.randint(40, 260))
        sold = datetime.date(year, month, rng.randint(3, 26))
        park = parks[index % len(parks)] if parks else None
        fields = (
            _control(rng)
            | _dates(sold, status, today)
            | {
                "zone": zone,
                "park": park,
                "code": f"{prefix}工{year}-{index + 1:02d}",
                "location": f"{park.name if park else zone.short_name}{rng.choice('东西南北')}区{index + 1}号地块",
                "area_mu": area,
                "status": status,
                "enterprise": buyer,
                "price": (area * Decimal(rng.randint(16, 24))).quantize(TWO),
            }
        )
        fields |= _promise(figures, area, index, rng)
        _within_promise(fields)
        # 投资强度 is checked on the project built there; a buyer without one on the ledger has its
        # parcel's control set without it (the check would only say 待补录).
        project = Project.objects.filter(zone=zone, enterprise=buyer).order_by("pk").first() if buyer else None
        invested = project_investment(project)[0] if project is not None else None
        if invested:
            # the control a zone set for such a project: what it was going to invest, a little under
            fields["project"] = project
            fields["invest_intensity"] = min(
                fields["invest_intensity"], (invested / area * Decimal("0.9")).quantize(TWO)
            )
        else:
            fields["invest_intensity"] = None
        parcel = parcel_save(user=admin, parcel=Parcel(), fields=fields)
        for kind, conclusion, reference in ASSESSMENTS[: 4 + index % 4]:
            assessment_save(
                user=admin,
                parcel=parcel,
                kind=kind,
                conclusion=conclusion,
                reference=reference,
                done_on=datetime.date(2021, 11, 20),
            )
        if status in ("producing", "accepted") and sold.year < last and index != 7:  # the 8th awaits its check
            check_promise(admin, parcel, last, today=today)
        if status == "sold" and sold <= today - datetime.timedelta(days=760):
            disposal_record(
                user=admin,
                parcel=parcel,
                step=Disposal.Step.TALK,
                done_on=today - datetime.timedelta(days=18),
                note="出让满两年未动工：约谈企业负责人，企业承诺三个月内办理施工许可并开工，逾期按闲置土地处置办法收回",
            )
    for index, status in enumerate(("reserve", "listed")):
        parcel_save(
            user=admin,
            parcel=Parcel(),
            fields=_control(rng)
            | {
                "zone": zone,
                "park": parks[-1] if parks else None,
                "code": f"{prefix}工{today.year}-储{index + 1:02d}",
                "location": f"{parks[-1].name if parks else zone.short_name}预留用地",
                "area_mu": Decimal(rng.randint(80, 300)),
                "status": status,
                "listed_on": today - datetime.timedelta(days=20) if status == "listed" else None,
            },
        )


def _control(rng: random.Random) -> dict:
    """控制指标 of a 标准地 (灵石: 投资强度、容积率、能耗控制、环境标准)."""
    return {
        "is_standard": True,
        "use": Parcel.Use.INDUSTRIAL,
        "invest_intensity": Decimal(rng.choice((250, 280, 300, 350))),
        "plot_ratio": Decimal(rng.choice(("0.8", "1.0", "1.2"))),
        "tax_per_mu": Decimal(rng.choice((10, 12, 15))),
        "energy_per_unit": Decimal(rng.choice(("0.8", "1.0", "1.5"))),
        "environment_standard": "废水零排放，颗粒物、VOCs执行山西省超低排放标准",
    }


def _within_promise(fields: dict) -> None:
    """A promise is never weaker than the parcel's control indicator: where the drawn control is
    stricter than what the buyer promised, the control is the promise (energy: the lower is stricter)."""
    for key in ("invest_intensity", "plot_ratio", "tax_per_mu", "energy_per_unit"):
        promised = fields.get(f"promised_{key}")
        if promised is None or fields.get(key) is None:
            continue
        stricter = fields[key] < promised if key == "energy_per_unit" else fields[key] > promised
        if stricter:
            fields[key] = promised


def _dates(sold: datetime.date, status: str, today: datetime.date) -> dict:
    steps = ["sold", "started", "producing", "accepted"]
    reached = steps.index(status)
    started = sold + datetime.timedelta(days=75)
    producing = started + datetime.timedelta(days=400)
    accepted = producing + datetime.timedelta(days=120)
    return {
        "listed_on": sold - datetime.timedelta(days=25),
        "sold_on": sold,
        "started_on": started if reached >= 1 else None,
        "producing_on": producing if reached >= 2 and producing <= today else None,
        "accepted_on": accepted if reached >= 3 and accepted <= today else None,
    }


def _promise(figures, area: Decimal, index: int, rng: random.Random) -> dict:
    """The buyer's promise: met on most parcels, short on every third (its tax per 亩 promised
    higher than it pays), no energy promise on one so its check waits for nothing."""
    if figures is None or not figures.tax:
        return {"promised_tax_per_mu": Decimal(12), "promised_plot_ratio": Decimal("1.0")}
    factor = Decimal("1.3") if index % 3 == 1 else Decimal("0.85")
    promise = {"promised_tax_per_mu": (figures.tax / area * factor).quantize(TWO)}
    if figures.floor_area:
        promise["promised_plot_ratio"] = (figures.floor_area / (area * Decimal("666.67")) * Decimal("0.9")).quantize(
            TWO
        )
    if figures.energy_tce and figures.value_added and index % 4 != 2:
        promise["promised_energy_per_unit"] = (figures.energy_tce / figures.value_added * Decimal("1.15")).quantize(TWO)
    return promise


def _lingshi_enterprises(admin, zone: Zone) -> None:
    for name, industry, above in LINGSHI_MORE:
        digest = hashlib.sha256(name.encode()).hexdigest()
        body = "".join(str(int(char, 16) % 10) for char in digest[:8])
        enterprise_create(
            user=admin,
            fields={
                "name": name,
                "zone": zone,
                "industry": industry,
                "credit_code": make_credit_code(zone.region_id, body),
                "is_above_scale": above,
            },
        )


def _years(admin, enterprise: Enterprise, index: int, rng: random.Random, last: int) -> int:
    """The enterprise's two years: the earlier one, then the last with its growth."""
    if "建设投资" in enterprise.name or "投资建设" in enterprise.name:
        return 0  # the zone's platform company builds, it does not produce: not on the 亩均 list
    base = _base(enterprise, index, rng)
    written = 0
    for year, growth in ((last - 1, Decimal(1)), (last, Decimal(str(rng.uniform(0.88, 1.22))))):
        if year == last and index == 3:
            continue  # one enterprise has not reported its last year: 待补录
        fields = {name: (value * growth).quantize(TWO) for name, value in base.items() if value is not None}
        fields |= {"land_mu": base["land_mu"], "floor_area": base["floor_area"]}
        fields["employees"] = int(base["revenue"] / Decimal(rng.randint(90, 160))) + 8
        if index % 7 == 5:
            fields.pop("energy_tce", None)  # 能耗 not reported (待补录)
        if index % 5 == 4:
            fields.pop("rd_spend", None)
        figures_save(user=admin, enterprise=enterprise, year=year, fields=fields)
        written += 1
    return written


def _base(enterprise: Enterprise, index: int, rng: random.Random) -> dict[str, Decimal | None]:
    """Magnitudes: a 规上 plant 120–900 亩 at 60–420 万元 of revenue per 亩; a small one 15–90 亩."""
    if enterprise.is_above_scale:
        land = Decimal(rng.randint(120, 900))
        per_mu = Decimal(rng.randint(60, 420))
    elif index % 6 == 2:
        land = Decimal(rng.choice(("1.8", "2.5")))  # a workshop under 3 亩: not graded
        per_mu = Decimal(rng.randint(40, 90))
    else:
        land = Decimal(rng.randint(15, 90))
        per_mu = Decimal(rng.randint(40, 260))
    revenue = land * per_mu
    if not enterprise.is_above_scale and index % 6 == 1:
        revenue = Decimal(rng.randint(1650, 1950))  # near 2000万元: 升规潜力
    value_added = revenue * Decimal(str(rng.uniform(0.18, 0.32)))
    return {
        "output_value": revenue * Decimal(str(rng.uniform(1.0, 1.1))),
        "revenue": revenue,
        "value_added": value_added,
        "tax": revenue * Decimal(str(rng.uniform(0.015, 0.07))),
        "energy_tce": value_added / Decimal(str(rng.uniform(0.25, 3.5))),
        "rd_spend": revenue * Decimal(str(rng.uniform(0.002, 0.035))),
        "land_mu": land,
        "floor_area": (land * Decimal("666.67") * Decimal(str(rng.uniform(0.5, 1.3)))).quantize(TWO),
    }


def _statuses(admin, enterprises: list[Enterprise], today: datetime.date) -> None:
    """Every enterprise 正常生产 from two years ago; a few since stopped, as the seeds tell."""
    start = datetime.date(today.year - 2, 1, 1)
    changes = {
        1: (OperatingStatus.Status.NOT_RESUMED, "环保限产后未复工复产，正在办理超低排放改造验收"),
        4: (OperatingStatus.Status.PARTIAL, "焦炭市场价格下行，两座焦炉中一座闷炉"),
        6: (OperatingStatus.Status.STOPPED, "资金链紧张，停产待重组"),
    }
    for index, enterprise in enumerate(enterprises):
        status_set(user=admin, enterprise=enterprise, status=OperatingStatus.Status.NORMAL, since=start)
        if index in changes:
            status, reason = changes[index]
            since = today - datetime.timedelta(days=40 + 30 * index)
            status_set(user=admin, enterprise=enterprise, status=status, since=since, reason=reason)
    for index, enterprise in enumerate(enterprises):
        if index % 9 == 1 and not enterprise.is_above_scale:
            enterprise_update(user=admin, enterprise=enterprise, fields={"converted_year": today.year - 2})
        if index % 8 == 0 and enterprise.is_above_scale:
            enterprise_update(user=admin, enterprise=enterprise, fields={"above_scale_year": today.year - 1})
