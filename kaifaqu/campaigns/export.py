"""A campaign's list of projects as the office sends it upward: one row per entry, with 合计."""

from __future__ import annotations

import io

from django.db.models import QuerySet

from kaifaqu.projects.industries import strategic_emerging_industry
from kaifaqu.sheets.ledger import write_ledger_xlsx
from kaifaqu.sheets.writer import DATE, MONEY, TEXT, OutputColumn

from .models import Batch, Campaign, CampaignEntry
from .selectors import OVER_100M_WAN
from .services import BATCH_RULES

BATCH_ORDER = {batch: position for position, batch in enumerate(Batch.values)}
COLUMNS = (
    OutputColumn("批次", TEXT, 8),
    OutputColumn("项目名称", TEXT, 32),
    OutputColumn("开发区", TEXT, 20),
    OutputColumn("建设单位", TEXT, 26),
    OutputColumn("产业类别", TEXT, 12),
    OutputColumn("计入投资", MONEY, 14, total=True),
    OutputColumn("总投资", MONEY, 14, total=True),
    OutputColumn("签约/开工/投产日期", DATE, 14),
    OutputColumn("亿元以上", TEXT, 8),
    OutputColumn("战略性新兴产业", TEXT, 16),
)


def campaign_xlsx(campaign: Campaign, entries: QuerySet[CampaignEntry], *, sentence: str) -> bytes:
    rows = (
        [
            entry.get_batch_display(),
            entry.project.name,
            entry.project.zone.name,
            entry.project.enterprise.name if entry.project.enterprise_id else "",
            entry.project.industry,
            entry.investment,
            entry.project.total_investment,
            getattr(entry.project, BATCH_RULES[entry.batch][1]),
            "是" if entry.investment >= OVER_100M_WAN else "",
            strategic_emerging_industry(entry.project.industry) or "",
        ]
        for entry in sorted(
            entries.select_related("project__zone", "project__enterprise"),
            key=lambda entry: (BATCH_ORDER[entry.batch], entry.pk),
        )
    )
    buffer = io.BytesIO()
    write_ledger_xlsx(
        buffer,
        title=f"{campaign.name}项目清单（{sentence}）",
        sheet_name="三个一批",
        columns=COLUMNS,
        rows=rows,
        unit="万元",
    )
    return buffer.getvalue()
