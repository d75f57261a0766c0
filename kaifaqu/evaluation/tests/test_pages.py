"""考核 pages as people use them: 吕梁's office copies the city template, changes a weight, runs a
month, reviews and publishes it; 孝义 reads its place; 屯留 (长治) sees nothing of 吕梁's scheme."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kaifaqu.conftest import make_user
from kaifaqu.evaluation import periods
from kaifaqu.evaluation.forms import ITEM_FIELDS
from kaifaqu.evaluation.models import HonorEntry, HonorList, Item, ManualValue, Run, Scheme
from kaifaqu.projects.models import local_today
from kaifaqu.regions.models import Region
from kaifaqu.zones import roles
from kaifaqu.zones.models import Zone
from kaifaqu.zones.services import unit_for_region, zone_create

NAME = "吕梁市开发区月度考核"
LAST = periods.last_complete("month", local_today())


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def fenyang(xiaoyi):
    return zone_create(name="汾阳经济开发区", short_name="汾阳经开区", region_code="141182")


@pytest.fixture
def office(xiaoyi, tunliu, fenyang):
    return make_user("lvliang-admin", unit_for_region(region=Region.objects.get(code="141100")), roles.ADMIN)


@pytest.fixture
def signed_project(make_project):
    """A project of 孝义 signed and started in the month: the record behind 开工率."""
    day = LAST.start
    return make_project(
        "年产十万吨针状焦项目",
        stage="started",
        stage_dates={"signed_on": day, "filed_on": day, "started_on": day},
        plan_year=LAST.year,
        project_code=f"{LAST.year}-141181-26-03-000001",
    )


@pytest.fixture
def scheme(office, signed_project) -> Scheme:
    """The city template copied by 吕梁's office through the page."""
    page = client_for(office)
    response = page.post(
        reverse("evaluation:schemes"), {"source": "template-city_monthly", "scope": "region-141100", "name": NAME}
    )
    found = Scheme.objects.get(name=NAME)
    assert response.status_code == 302 and response.url == reverse("evaluation:scheme", args=[found.pk])
    return found


def item_post(item: Item, **changes) -> dict:
    data = {}
    for name in ITEM_FIELDS:
        value = getattr(item, "indicator_id" if name == "indicator" else name)
        if name == "lower_is_better":
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else str(value)
    return data | {name: str(value) for name, value in changes.items()}


def publish_month(page: Client, scheme: Scheme) -> Run:
    response = page.post(reverse("evaluation:run_create", args=[scheme.pk]), {"period": LAST.key})
    run = Run.objects.get(scheme=scheme, period=LAST.key, status=Run.Status.DRAFT)
    assert response.url == reverse("evaluation:run", args=[run.pk])
    page.post(reverse("evaluation:run_review", args=[run.pk]))
    page.post(reverse("evaluation:run_publish", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Run.Status.PUBLISHED
    return run


def test_the_office_copies_the_template_changes_a_weight_runs_reviews_and_publishes(office, scheme):
    page = client_for(office)
    listing = text(page.get(reverse("evaluation:schemes")))
    assert NAME in listing and "从模板新建考核方案" in listing

    detail = text(page.get(reverse("evaluation:scheme", args=[scheme.pk])))
    assert "满分合计 <strong>100</strong> 分" in detail
    assert "月调度指标同比增速" in detail and "规上工业增加值" in detail
    assert "第一名得15.00分，每后一名减1.00分" in detail  # the rule in words

    item = scheme.items.get(name="规上工业增加值增速")
    response = page.post(reverse("evaluation:item_edit", args=[item.pk]), item_post(item, weight="20"))
    assert response.status_code == 302
    assert "满分合计 <strong>105</strong> 分" in text(page.get(reverse("evaluation:scheme", args=[scheme.pk])))

    refused = page.post(reverse("evaluation:item_edit", args=[item.pk]), item_post(item, rule="ratio", target=""))
    assert refused.status_code == 400
    assert "按完成比例计分须填写大于 0 的目标值。" in text(refused)

    response = page.post(reverse("evaluation:run_create", args=[scheme.pk]), {"period": LAST.key})
    run = Run.objects.get(scheme=scheme, period=LAST.key)
    draft = text(page.get(response.url))
    assert f"{NAME} {LAST.label} 第1版（草稿）" in draft
    assert 'data-testid="review"' in draft and 'data-testid="publish"' not in draft
    assert "孝义经开区" in draft and "汾阳经开区" in draft and "屯留" not in draft
    assert "经济运行" in draft and "项目建设" in draft  # grouped headers

    page.post(reverse("evaluation:run_review", args=[run.pk]))
    assert 'data-testid="publish"' in text(page.get(response.url))
    page.post(reverse("evaluation:run_publish", args=[run.pk]))
    published = text(page.get(response.url))
    assert f"{NAME} {LAST.label} 第1版（已发布）" in published
    assert 'data-testid="recompute"' in published

    again = page.post(reverse("evaluation:run_create", args=[scheme.pk]), {"period": "2026-13"})
    assert again.status_code == 400 and "月份应在 1 到 12 之间" in text(again)

    gap = page.get(
        reverse("evaluation:run", args=[run.pk]), {"subject": run.scores.get(zone__short_name="孝义经开区").pk}
    )
    assert "差距分析：孝义经开区" in text(gap)

    workbook = page.get(reverse("evaluation:run_xlsx", args=[run.pk]))
    assert workbook.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(workbook.content)).active is not None


def test_a_score_links_to_the_records_behind_it(office, scheme, signed_project):
    page = client_for(office)
    run = publish_month(page, scheme)
    item = scheme.items.get(name="当年签约项目开工率")
    score = run.scores.get(zone__short_name="孝义经开区")
    trace = score.items[str(item.pk)]["trace"]
    assert trace and score.items[str(item.pk)]["count"] == 1
    ranking = text(page.get(reverse("evaluation:run", args=[run.pk])))
    assert f'href="{trace.replace("&", "&amp;")}"' in ranking
    assert "依据 1 条记录" in ranking
    records = page.get(trace)
    assert records.status_code == 200 and "年产十万吨针状焦项目" in text(records)


def test_a_zone_reads_the_published_result_without_forms(office, scheme, xiaoyi_staff, tunliu_staff):
    run = publish_month(client_for(office), scheme)
    zone = client_for(xiaoyi_staff)
    listing = text(zone.get(reverse("evaluation:schemes")))
    assert 'data-testid="my-places"' in listing and "孝义经开区" in listing
    assert "region-141100" not in listing  # a zone keeps its own staff schemes only

    ranking = zone.get(reverse("evaluation:run", args=[run.pk]))
    assert ranking.status_code == 200
    assert "孝义经开区" in text(ranking) and "汾阳经开区" in text(ranking)  # the template publishes results
    assert not re.search(r'<form method="post" action="/evaluation/', text(ranking))
    scheme_page = text(zone.get(reverse("evaluation:scheme", args=[scheme.pk])))
    assert "规上工业增加值增速" in scheme_page and 'data-testid="run-form"' not in scheme_page
    assert 'action="/evaluation/' not in scheme_page

    for name, args, data in (
        ("evaluation:run_review", [run.pk], {}),
        ("evaluation:run_recompute", [run.pk], {}),
        ("evaluation:run_create", [scheme.pk], {"period": LAST.key}),
        ("evaluation:scheme_edit", [scheme.pk], {"name": "改名"}),
    ):
        assert zone.post(reverse(name, args=args), data).status_code in (403, 404), name
    foreign = zone.post(
        reverse("evaluation:schemes"), {"source": "template-city_monthly", "scope": "region-141100", "name": "改名"}
    )
    assert foreign.status_code == 403  # a 项目专员 keeps the zone's settings, not its 考核 (evaluation.manage)
    assert Run.objects.filter(scheme=scheme).count() == 1 and not Scheme.objects.filter(name="改名").exists()

    other_city = client_for(tunliu_staff)
    assert other_city.get(reverse("evaluation:scheme", args=[scheme.pk])).status_code == 404
    assert other_city.get(reverse("evaluation:run", args=[run.pk])).status_code == 404
    assert NAME not in text(other_city.get(reverse("evaluation:schemes")))


def test_results_not_public_show_a_zone_only_its_own_row(office, scheme, xiaoyi_staff):
    page = client_for(office)
    settings = {"name": NAME, "period": "month", "subject_kind": "zone", "honor_rules": "reporting"}
    assert page.post(reverse("evaluation:scheme_edit", args=[scheme.pk]), settings).status_code == 302
    scheme.refresh_from_db()
    assert scheme.results_public is False
    run = publish_month(page, scheme)
    ranking = text(client_for(xiaoyi_staff).get(reverse("evaluation:run", args=[run.pk])))
    assert "孝义经开区" in ranking and "汾阳经开区" not in ranking
    assert "您只能看到自己的得分和名次" in ranking
    fenyang = run.scores.get(zone__short_name="汾阳经开区")
    assert (
        client_for(xiaoyi_staff).get(reverse("evaluation:run", args=[run.pk]), {"subject": fenyang.pk}).status_code
        == 404
    )


def test_manual_values_with_evidence_and_corrected_after_publishing(office, scheme, xiaoyi_staff):
    page = client_for(office)
    item = scheme.items.get(metric="manual")
    url = reverse("evaluation:manual_values", args=[scheme.pk])
    earlier = LAST.previous()
    form = text(page.get(url, {"period": earlier.key}))
    assert "重大安全生产事故" in form and "孝义经开区" in form

    missing = page.post(url, {"period": earlier.key, "item": item.pk, "subject": "zone:0", "value": "0"})
    assert missing.status_code == 400

    xiaoyi_key = f"zone:{Zone.objects.get(short_name='孝义经开区').pk}"
    no_evidence = page.post(url, {"period": earlier.key, "item": item.pk, "subject": xiaoyi_key, "value": "0"})
    assert no_evidence.status_code == 400 and "请上传“重大安全生产事故”的佐证材料" in text(no_evidence)

    proof = SimpleUploadedFile("安全生产证明.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
    saved = page.post(
        url,
        {
            "period": earlier.key,
            "item": item.pk,
            "subject": xiaoyi_key,
            "value": "0",
            "note": "无事故",
            "evidence": proof,
        },
    )
    assert saved.status_code == 302
    value = ManualValue.objects.get(item=item, period=earlier.key)
    listed = text(page.get(url, {"period": earlier.key}))
    assert "安全生产证明.pdf" in listed and "无事故" in listed
    evidence = page.get(reverse("evaluation:manual_evidence", args=[value.pk]))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == b"%PDF-1.4 proof"
    assert client_for(xiaoyi_staff).get(reverse("evaluation:manual_evidence", args=[value.pk])).status_code == 404
    assert client_for(xiaoyi_staff).get(url).status_code in (403, 404)

    # After publishing, a correction is saved for the next version; the published result keeps its values.
    published = publish_month(page, scheme)
    kept = published.scores.get(zone__short_name="孝义经开区")
    proof = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 late", content_type="application/pdf")
    late = page.post(url, {"period": LAST.key, "item": item.pk, "subject": xiaoyi_key, "value": "1", "evidence": proof})
    assert late.status_code == 302
    assert "发布的结果保持不变" in text(page.get(url, {"period": LAST.key}))
    assert published.scores.get(pk=kept.pk).vetoed == kept.vetoed is False


def test_honor_list_generate_remove_with_a_note_and_publish(office, scheme, xiaoyi_staff, xiaoyi):
    page = client_for(office)
    response = page.post(reverse("evaluation:honor_generate", args=[scheme.pk]), {"period": LAST.key})
    honor_list = HonorList.objects.get(scheme=scheme, period=LAST.key)
    assert response.url == reverse("evaluation:honor_list", args=[honor_list.pk])
    assert client_for(xiaoyi_staff).get(response.url).status_code == 404  # not yet 公示

    added = page.post(
        reverse("evaluation:honor_add", args=[honor_list.pk]),
        {"side": "red", "subject": f"zone:{xiaoyi.pk}", "reason": "月报按时准确报送"},
    )
    assert added.status_code == 302
    entry = HonorEntry.objects.get(honor_list=honor_list, by_rule=False)
    refused = page.post(reverse("evaluation:honor_remove", args=[entry.pk]), {"note": ""})
    assert refused.status_code == 400 and 'class="invalid-feedback d-block"' in text(refused)
    entry.refresh_from_db()
    assert not entry.removed
    page.post(reverse("evaluation:honor_remove", args=[entry.pk]), {"note": "经核实月报退回一次"})
    entry.refresh_from_db()
    assert entry.removed and entry.note == "经核实月报退回一次"
    shown = text(page.get(response.url))
    assert "<del>孝义经开区</del>" in shown and "已移出：经核实月报退回一次" in shown

    page.post(
        reverse("evaluation:honor_add", args=[honor_list.pk]),
        {"side": "red", "subject": f"zone:{xiaoyi.pk}", "reason": "招商签约居全市第一"},
    )
    page.post(reverse("evaluation:honor_publish", args=[honor_list.pk]))
    honor_list.refresh_from_db()
    assert honor_list.status == HonorList.Status.PUBLISHED
    zone_view = text(client_for(xiaoyi_staff).get(response.url))
    assert "已公示" in zone_view and "招商签约居全市第一" in zone_view
    assert 'action="/evaluation/' not in zone_view
    assert client_for(xiaoyi_staff).post(reverse("evaluation:honor_publish", args=[honor_list.pk])).status_code == 403
