"""Synthetic province-scale data for benchmarks (``kaifaqu gen_synthetic``).

Bulk inserts, not the services: 60,000 projects through the per-row services would
take minutes, and a benchmark needs the data in seconds. Every row is built to satisfy
the rules the services enforce — stage dates in order and none in the future, a valid
项目代码 from 已备案 on, valid credit codes, 入统 only for started projects — so the
pages see data they could have produced themselves.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from kaifaqu.enterprises.credit_code import make_credit_code
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.projects import lifecycle
from kaifaqu.projects.models import Milestone, PlanCategory, PriorityLevel, ProgressReport, Project, Stage, StageChange
from kaifaqu.regions.models import Region
from kaifaqu.zones.models import Park, Unit, Zone

BATCH = 2000
# Share of projects at each stage on a province's ledger (a pipeline narrows as it goes).
STAGE_WEIGHTS = {
    Stage.PLANNING: 10,
    Stage.CONTACT: 14,
    Stage.INTENT: 12,
    Stage.READY: 8,
    Stage.SIGNED: 10,
    Stage.FILED: 8,
    Stage.STARTED: 20,
    Stage.PRODUCING: 10,
    Stage.AT_CAPACITY: 5,
    Stage.TERMINATED: 3,
}
INDUSTRIES = (
    ("新材料", "30"),
    ("装备制造", "34"),
    ("新能源", "44"),
    ("煤化工", "26"),
    ("食品", "14"),
    ("生物医药", "27"),
    ("现代物流", "59"),
    ("电子信息", "39"),
    ("节能环保", "77"),
    ("氢能", "44"),
)
PARK_NAMES = ("新材料产业园", "装备制造产业园", "现代物流园", "综合保税区", "科技创新园", "循环经济产业园")
PROJECT_WORDS = ("年产", "智能化", "绿色", "综合利用", "一期", "二期", "扩能改造", "产业化", "示范")
PRODUCTS = (
    "高端铝合金型材",
    "氢燃料电池电堆",
    "锂电池正极材料",
    "光伏组件",
    "储能系统",
    "精细化学品",
    "特种钢材",
    "碳纤维",
    "生物基材料",
    "冷链物流中心",
    "数据中心",
    "风电装备",
    "智能农机",
)
MILESTONES = (
    "完成项目备案",
    "取得用地批复",
    "取得环评批复",
    "取得施工许可",
    "主体结构封顶",
    "设备安装调试",
    "竣工验收",
)


@dataclass
class SyntheticSummary:
    zones: int
    enterprises: int
    projects: int
    milestones: int
    progress_reports: int
    stage_changes: int


def generate(
    *, zones: int, projects: int, seed: int = 1, progress: Callable[[str], None] | None = None
) -> SyntheticSummary:
    """Add ``zones`` zones (in Shanxi) and ``projects`` projects spread over them."""
    rng = random.Random(seed)
    say = progress or (lambda message: None)
    today = timezone.localdate()
    with transaction.atomic():
        zone_rows = _zones(rng, zones)
        say(f"开发区 {len(zone_rows)} 个")
        parks = _parks(rng, zone_rows)
        enterprises = _enterprises(rng, zone_rows, max(1, projects // 3))
        say(f"企业 {sum(len(v) for v in enterprises.values())} 家")
        categories = list(PlanCategory.objects.filter(unit__isnull=True))
        counts = {"projects": 0, "milestones": 0, "progress": 0, "changes": 0}
        used_codes = set(Project.objects.exclude(project_code=None).values_list("project_code", flat=True))
        for start in range(0, projects, BATCH):
            size = min(BATCH, projects - start)
            batch = [_project(rng, today, zone_rows, parks, enterprises, categories, used_codes) for _ in range(size)]
            Project.objects.bulk_create(batch, batch_size=BATCH)
            counts["projects"] += size
            counts["changes"] += _bulk(StageChange, [c for p in batch for c in _changes(p)])
            counts["milestones"] += _bulk(Milestone, [m for p in batch for m in _milestones(rng, today, p)])
            reports = [r for p in batch for r in _progress(rng, today, p)]
            _count_reports_in_ledger(batch, reports)
            counts["progress"] += _bulk(ProgressReport, reports)
            say(f"项目 {counts['projects']}/{projects}")
    # Fresh planner statistics, as a database in service has: without them both
    # PostgreSQL and SQLite plan the first queries on these tables as if they were empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return SyntheticSummary(
        len(zone_rows),
        sum(len(v) for v in enterprises.values()),
        counts["projects"],
        counts["milestones"],
        counts["progress"],
        counts["changes"],
    )


def _bulk(model, rows: list) -> int:
    model.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _zones(rng: random.Random, count: int) -> list[Zone]:
    counties = list(Region.objects.filter(code__startswith="14", level=Region.Level.COUNTY).order_by("code"))
    taken = set(Zone.objects.values_list("name", flat=True)) | set(
        Zone.objects.exclude(short_name=None).values_list("short_name", flat=True)
    )
    kinds = (
        ("经济技术开发区", "经开区", Zone.Kind.ECONOMIC),
        ("高新技术产业开发区", "高新区", Zone.Kind.HIGH_TECH),
        ("现代产业示范区", "示范区", Zone.Kind.DEMONSTRATION),
        ("综合产业园区", "产业园区", Zone.Kind.OTHER),
    )
    zones = []
    serial = 0
    while len(zones) < count:
        county = counties[serial % len(counties)]
        suffix, short_suffix, kind = kinds[(serial // len(counties)) % len(kinds)]
        round_no = serial // (len(counties) * len(kinds))
        base = county.name.removesuffix("区").removesuffix("县").removesuffix("市")
        name = f"{base}{suffix}" + (f"（{round_no + 1}）" if round_no else "")
        short = f"{base}{short_suffix}" + (str(round_no + 1) if round_no else "")
        serial += 1
        if name in taken or short in taken:
            continue
        taken.update((name, short))
        zones.append(
            Zone(
                name=name,
                short_name=short,
                region=county,
                kind=kind,
                level=Zone.Level.NATIONAL if rng.random() < 0.1 else Zone.Level.PROVINCIAL,
                area_km2=Decimal(rng.randint(800, 12000)) / 100,
                leading_industries="、".join(rng.sample([i for i, _ in INDUSTRIES], 3)),
            )
        )
    Zone.objects.bulk_create(zones, batch_size=BATCH)
    zones = list(Zone.objects.filter(name__in=[zone.name for zone in zones]).select_related("region"))
    Unit.objects.bulk_create([Unit(name=f"{zone.name}管委会", kind=Unit.Kind.ZONE, zone=zone) for zone in zones])
    return zones


def _parks(rng: random.Random, zones: list[Zone]) -> dict[int, list[Park]]:
    rows = [Park(zone=zone, name=name) for zone in zones for name in rng.sample(PARK_NAMES, rng.randint(1, 4))]
    Park.objects.bulk_create(rows, batch_size=BATCH)
    parks: dict[int, list[Park]] = {}
    for park in Park.objects.filter(zone__in=zones):
        parks.setdefault(park.zone_id, []).append(park)
    return parks


def _enterprises(rng: random.Random, zones: list[Zone], count: int) -> dict[int, list[Enterprise]]:
    used = set(Enterprise.objects.exclude(credit_code=None).values_list("credit_code", flat=True))
    rows = []
    for index in range(count):
        zone = zones[index % len(zones)]
        product = rng.choice(PRODUCTS)
        code = None
        while code is None or code in used:
            code = make_credit_code(zone.region_id, f"{rng.randrange(10**8):08d}")
        used.add(code)
        rows.append(
            Enterprise(
                name=f"山西{zone.short_name}{product}有限公司{index + 1:05d}",
                credit_code=code,
                zone=zone,
                industry=rng.choice(INDUSTRIES)[0],
                is_above_scale=rng.random() < 0.4,
                is_four_above=rng.random() < 0.5,
                is_high_tech=rng.random() < 0.15,
                is_chain_leader=rng.random() < 0.03,
            )
        )
    Enterprise.objects.bulk_create(rows, batch_size=BATCH)
    by_zone: dict[int, list[Enterprise]] = {}
    for enterprise in Enterprise.objects.filter(zone__in=zones).only("id", "zone_id"):
        by_zone.setdefault(enterprise.zone_id, []).append(enterprise)
    return by_zone


def _project(rng, today, zones, parks, enterprises, categories, used_codes) -> Project:
    zone = rng.choice(zones)
    stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
    reached = rng.choice(lifecycle.ORDER[:6]) if stage == Stage.TERMINATED else stage
    industry, industry_code = rng.choice(INDUSTRIES)
    total = Decimal(int(rng.lognormvariate(9.5, 1.1))).max(Decimal(200))
    project = Project(
        name=f"{rng.choice(PROJECT_WORDS)}{rng.choice(PRODUCTS)}项目",
        zone=zone,
        park=rng.choice(parks[zone.pk]) if rng.random() < 0.7 else None,
        enterprise=rng.choice(enterprises[zone.pk]) if zone.pk in enterprises and rng.random() < 0.85 else None,
        industry=industry,
        total_investment=total,
        plan_year=today.year - rng.choice((0, 0, 0, 1, 1, 2)),
        year_planned_investment=(total * Decimal(rng.randint(10, 60)) / 100).quantize(Decimal("0.01")),
        land_area_mu=Decimal(rng.randint(10, 800)),
        plan_category=rng.choice(categories),
        priority_level=rng.choices(
            ["", PriorityLevel.PROVINCE, PriorityLevel.CITY, PriorityLevel.COUNTY], weights=[60, 8, 15, 17]
        )[0],
        stage=stage,
        terminated_from=reached if stage == Stage.TERMINATED else "",
        content=f"建设{rng.choice(PRODUCTS)}生产线及配套设施。",
    )
    _dates(rng, today, project, reached)
    if stage == Stage.TERMINATED:
        project.terminated_on = today
    if lifecycle.RANK[reached] >= lifecycle.RANK[Stage.FILED]:
        code = None
        while code is None or code in used_codes:
            code = f"{project.filed_on.year}-{zone.region_id}-{industry_code}-03-{rng.randrange(10**6):06d}"
        used_codes.add(code)
        project.project_code = code
    if lifecycle.RANK[reached] >= lifecycle.RANK[Stage.STARTED] and stage != Stage.TERMINATED and rng.random() < 0.6:
        project.in_statistics = True
        project.in_statistics_on = project.started_on
    return project


def _dates(rng, today, project: Project, reached: str) -> None:
    """Stage dates walking backwards from today: each step 15-120 days after the one before."""
    steps = lifecycle.ORDER[1 : lifecycle.RANK[reached] + 1]
    when = today - datetime.timedelta(days=rng.randint(0, 60))
    for stage in reversed(steps):
        setattr(project, lifecycle.DATE_FIELD[stage], when)
        when -= datetime.timedelta(days=rng.randint(15, 120))


def _changes(project: Project) -> list[StageChange]:
    reached = project.reached_stage
    changes = []
    previous = Stage.PLANNING
    for stage in lifecycle.ORDER[1 : lifecycle.RANK[reached] + 1]:
        step_date = getattr(project, lifecycle.DATE_FIELD[stage])
        changes.append(
            StageChange(
                project=project,
                from_stage=previous,
                to_stage=stage,
                step_date=step_date,
                dates={lifecycle.DATE_FIELD[stage]: step_date.isoformat()},
            )
        )
        previous = stage
    if project.stage == Stage.TERMINATED:
        changes.append(
            StageChange(
                project=project,
                from_stage=previous,
                to_stage=Stage.TERMINATED,
                step_date=project.terminated_on,
                reason="企业投资计划调整",
            )
        )
    return changes


def _milestones(rng, today, project: Project) -> list[Milestone]:
    rows = []
    start = project.signed_on or today - datetime.timedelta(days=90)
    for index, name in enumerate(rng.sample(MILESTONES, 3)):
        planned = start + datetime.timedelta(days=30 * (index + 1) + rng.randint(0, 20))
        done = planned <= today and rng.random() < 0.75
        rows.append(
            Milestone(
                project=project,
                name=name,
                planned_on=planned,
                actual_on=min(planned + datetime.timedelta(days=rng.randint(-5, 10)), today) if done else None,
                owner=rng.choice(("王主任", "李科长", "张工", "刘经理")),
            )
        )
    return rows


def _count_reports_in_ledger(batch: list[Project], reports: list[ProgressReport]) -> None:
    """As ``progress_create`` does, a report dated in the project's plan year is part of its 年度完成投资:
    the ledger figure is at least the sum of those reports (the rest is 未分月), never below it."""
    reported: dict[int, Decimal] = {}
    for report in reports:
        if report.reported_on.year == report.project.plan_year:
            reported[report.project.pk] = reported.get(report.project.pk, Decimal(0)) + report.investment
    changed = [project for project in batch if reported.get(project.pk, 0) > (project.year_completed_investment or 0)]
    for project in changed:
        project.year_completed_investment = reported[project.pk]
    Project.objects.bulk_update(changed, ["year_completed_investment"], batch_size=BATCH)


def _progress(rng, today, project: Project) -> list[ProgressReport]:
    if not project.started_on:
        return []
    rows = []
    for months_ago in range(rng.randint(1, 3)):
        reported = max(project.started_on, today - datetime.timedelta(days=30 * months_ago + rng.randint(0, 10)))
        rows.append(
            ProgressReport(
                project=project,
                reported_on=reported,
                text="按计划推进，完成月度投资。",
                investment=Decimal(rng.randint(50, 2000)),
            )
        )
    return rows
