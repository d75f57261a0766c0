"""Which industries count as 战略性新兴产业 (国家统计局《战略性新兴产业分类（2018）》).

Ledgers write a project's industry in the office's own words (``新材料``, ``氢能``,
``光伏组件``); the province counts the entries of a campaign that fall in one of the nine
strategic emerging industries, so the words below are the ones those industries go by.
"""

from __future__ import annotations

# The nine industries, each with the words a ledger uses for it.
STRATEGIC_EMERGING_INDUSTRIES: dict[str, tuple[str, ...]] = {
    "新一代信息技术产业": (
        "新一代信息技术", "电子信息", "集成电路", "半导体", "软件", "人工智能", "大数据",
        "云计算", "物联网", "5G", "信创", "数据中心", "算力",
    ),
    "高端装备制造产业": ("高端装备", "智能制造", "智能装备", "航空", "航天", "卫星", "轨道交通装备", "机器人"),
    "新材料产业": ("新材料", "先进材料", "碳纤维", "石墨烯", "特种金属", "高性能", "特种材料", "先进陶瓷", "碳基"),
    "生物产业": ("生物医药", "生物制造", "生物技术", "生物育种", "创新药", "医疗器械", "生物"),
    "新能源汽车产业": ("新能源汽车", "电动汽车", "动力电池", "充电桩", "智能网联"),
    "新能源产业": ("新能源", "光伏", "风电", "风能", "氢能", "储能", "核电", "生物质能", "地热", "锂电"),
    "节能环保产业": ("节能环保", "节能", "环保", "资源循环", "循环利用", "固废", "污水处理", "余热"),
    "数字创意产业": ("数字创意", "数字文化", "动漫", "影视制作"),
    "相关服务业": ("研发服务", "检验检测", "科技服务", "知识产权服务"),
}  # fmt: skip


def strategic_emerging_industry(industry: str) -> str | None:
    """The strategic emerging industry ``industry`` belongs to, or None."""
    text = "".join((industry or "").split())
    if not text:
        return None
    for name, words in STRATEGIC_EMERGING_INDUSTRIES.items():
        if any(word in text for word in words):
            return name
    return None
