"""亩均效益评价 pages: the schemes (and a new one on 浙江's method), a scheme's year — the grades by
place, the distribution, the moves down, the not graded with the reason — grading a year, the
settings, and the year's workbook."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from kaifaqu.audit import trail
from kaifaqu.chains.forms import owner_choices
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import get_visible_or_404, scope_for
from kaifaqu.core.views import add_service_errors
from kaifaqu.projects.models import local_today

from .. import selectors, services
from ..exports import grades_xlsx
from ..forms import SCHEME_FIELDS, GradeForm, NewSchemeForm, SchemeForm
from ..models import MuJunScheme
from ..mujun import GRADE_WORDS

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refuse_enterprises(request) -> None:
    if scope_for(request.user).enterprise_id is not None:
        raise PermissionDenied("亩均效益评价由开发区和主管部门使用；企业的评价等级在本企业页面查看。")


def _scheme(request, pk: int) -> MuJunScheme:
    return get_visible_or_404(MuJunScheme.objects.select_related("zone", "region"), request.user, pk=pk)


def _years() -> list[int]:
    this = local_today().year
    return list(range(this, this - 8, -1))


@login_required
def scheme_list(request):
    _refuse_enterprises(request)
    user, form = request.user, None
    if request.method == "POST":
        ensure(user, "mujun.change")
        form = NewSchemeForm(request.POST, **owner_choices(user, "mujun.change", MuJunScheme))
        if form.is_valid():
            scheme = _create(request, form)
            if scheme is not None:
                messages.success(
                    request, f"已新建亩均效益评价方案“{scheme.name}”（按浙江“亩均论英雄”方法），可调整权重和分数线。"
                )
                return redirect("land:mujun_scheme", pk=scheme.pk)
    elif can(user, "mujun.change"):
        form = NewSchemeForm(**owner_choices(user, "mujun.change", MuJunScheme))
    schemes = MuJunScheme.objects.visible_to(user).select_related("zone", "region")
    rows = [{"scheme": scheme, "years": selectors.graded_years(scheme)} for scheme in schemes]
    return render(
        request,
        "land/mujun_list.html",
        {"rows": rows, "form": form, "tab": "mujun"},
        status=400 if form is not None and form.is_bound else 200,
    )


def _create(request, form) -> MuJunScheme | None:
    data = form.cleaned_data
    scheme = MuJunScheme(template=services.TEMPLATE)
    try:
        return services.scheme_save(
            user=request.user, scheme=scheme, fields={"name": data["name"].strip(), **data["scope"]}
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied as exc:
        form.add_error("scope", str(exc))
    return None


@login_required
def scheme_detail(request, pk: int):
    scheme = _scheme(request, pk)  # an enterprise sees no scheme: 404
    years = selectors.graded_years(scheme)
    year = _chosen_year(request, years)
    rows = list(selectors.grades_of(scheme, year, user=request.user)) if year else []
    moves = selectors.with_moves(scheme, year, rows) if year else []
    counts = selectors.distribution(rows)
    chosen = request.GET.get("grade", "")
    shown = [move for move in moves if move.grade.grade and (not chosen or move.grade.grade == chosen)]
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    levels = rows[0].levels if rows and rows[0].grade else next((row.levels for row in rows if row.grade), {})
    names = scheme.indicator_names()
    return render(
        request,
        "land/mujun_scheme.html",
        {
            "scheme": scheme,
            "years": years,
            "year": year,
            "counts": [(grade, GRADE_WORDS[grade], counts[grade]) for grade in GRADE_WORDS],
            "excluded_count": counts["不参评"],
            "chosen_grade": chosen,
            "page": page,
            "not_graded": [move.grade for move in moves if not move.grade.grade],
            "moved_down": selectors.moved_down(moves),
            "changed": selectors.changed_since_graded(scheme, year, rows) if year else 0,
            "levels": [(names[key], levels.get(key)) for key in names] if levels else [],
            "names": names,
            "city": scheme.zone_id is None,
            "can_keep": can(request.user, "mujun.change", scheme),
            "grade_form": GradeForm(initial={"year": year or local_today().year - 1}, years=_years()),
            "tab": "mujun",
        },
    )


def _chosen_year(request, years: list[int]) -> int | None:
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    return years[0] if years else None


@login_required
@require_POST
def scheme_grade(request, pk: int):
    scheme = _scheme(request, pk)
    ensure(request.user, "mujun.change", scheme)
    form = GradeForm(request.POST, years=_years())
    if not form.is_valid():
        messages.error(request, "评价年度：请选择一个年度。")
        return redirect("land:mujun_scheme", pk=scheme.pk)
    year = form.cleaned_data["year"]
    try:
        done = services.grade_year(user=request.user, scheme=scheme, year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("land:mujun_scheme", pk=scheme.pk)
    counts = "，".join(f"{grade}类{count}户" for grade, count in done.grading.counts().items())
    excluded = len(done.grading.excluded) + len(done.unreported)
    messages.success(
        request, f"已完成{year}年亩均效益评价：参评{len(done.grading.graded)}户（{counts}），不参评{excluded}户。"
    )
    return redirect(f"{reverse('land:mujun_scheme', args=[scheme.pk])}?year={year}")


@login_required
def scheme_edit(request, pk: int):
    scheme = _scheme(request, pk)
    ensure(request.user, "mujun.change", scheme)
    form = SchemeForm(request.POST or None, instance=MuJunScheme.objects.get(pk=scheme.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in SCHEME_FIELDS}
        try:
            services.scheme_save(user=request.user, scheme=scheme, fields=fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "评价方案已保存；重新评价后按新的权重和分数线定档。")
            return redirect("land:mujun_scheme", pk=scheme.pk)
    return render(request, "land/mujun_form.html", {"form": form, "scheme": scheme, "tab": "mujun"})


@login_required
def grades_download(request, pk: int):
    scheme = _scheme(request, pk)
    years = selectors.graded_years(scheme)
    year = _chosen_year(request, years)
    if year is None:
        messages.error(request, "该方案还没有评价结果，无法导出。")
        return redirect("land:mujun_scheme", pk=scheme.pk)
    rows = list(selectors.grades_of(scheme, year, user=request.user))
    content = grades_xlsx(scheme, year, selectors.with_moves(scheme, year, rows), city=scheme.zone_id is None)
    filename = f"{scheme.scope_name}{year}年亩均效益评价结果.xlsx"
    trail.record_event(action="export", user=request.user, note=f"导出{filename}")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


urls = [
    path("mujun/", scheme_list, name="mujun"),
    path("mujun/<int:pk>/", scheme_detail, name="mujun_scheme"),
    path("mujun/<int:pk>/edit/", scheme_edit, name="mujun_edit"),
    path("mujun/<int:pk>/grade/", scheme_grade, name="mujun_grade"),
    path("mujun/<int:pk>/grades.xlsx", grades_download, name="mujun_xlsx"),
]
