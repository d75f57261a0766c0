"""亩均效益评价's workbook: the year's list by place (the indicators, each one's points, the score,
the grade, the move against the year before), then the not graded with the reason."""

from __future__ import annotations

import io
from decimal import Decimal

from kaifaqu.sheets.writer import INTEGER, NUMBER, TEXT, OutputColumn, Table, write_xlsx

from .mujun import GRADE_WORDS, INDICATORS
from .selectors import Move


def grades_xlsx(scheme, year: int, moves: list[Move], *, city: bool) -> bytes:
    columns = [OutputColumn("名次", INTEGER), OutputColumn("企业名称", TEXT, width=30)]
    columns += [OutputColumn("统一社会信用代码", TEXT, width=20)]
    if city:
        columns.append(OutputColumn("开发区", TEXT, width=18))
    columns += [
        OutputColumn("亩均税收（万元/亩）", NUMBER, group="指标值"),
        OutputColumn(f"{scheme.indicator_names()['revenue_per_mu']}（万元/亩）", NUMBER, group="指标值"),
        OutputColumn("单位能耗增加值（万元/吨标准煤）", NUMBER, group="指标值"),
        OutputColumn("研发投入强度（%）", NUMBER, group="指标值"),
    ]
    names = scheme.indicator_names()
    columns += [OutputColumn(names[name], NUMBER, group="得分") for name in INDICATORS]
    columns += [OutputColumn("综合得分", NUMBER), OutputColumn("等级", TEXT), OutputColumn("较上年", TEXT)]
    graded = [move for move in moves if move.grade.grade]
    rows = []
    for move in graded:
        row = move.grade
        values = [row.rank, row.enterprise.name, row.enterprise.credit_code or ""]
        if city:
            values.append(row.enterprise.zone.name)
        values += [row.tax_per_mu, row.revenue_per_mu, row.energy_productivity, row.rd_intensity_pct]
        values += [Decimal(row.points.get(name, "0")) for name in INDICATORS]
        values += [row.score, f"{row.grade}类（{GRADE_WORDS[row.grade]}）", move.word]
        rows.append(values)
    excluded = [move.grade for move in moves if not move.grade.grade]
    handle = io.BytesIO()
    write_xlsx(
        handle,
        [
            Table(
                name=f"{year}年评价结果",
                columns=columns,
                rows=rows,
                title=f"{scheme.scope_name}{year}年度企业亩均效益评价结果（{scheme.name}）",
                fit_width=True,
            ),
            Table(
                name="不参评企业",
                columns=[OutputColumn("企业名称", TEXT, width=30), OutputColumn("不参评原因", TEXT, width=40)],
                rows=[[row.enterprise.name, row.excluded_reason] for row in excluded],
                title=f"{scheme.scope_name}{year}年度不参评企业（{len(excluded)}户）",
                numbered=True,
            ),
        ],
    )
    return handle.getvalue()
