"""The indicators every city dispatches on, shipped as data (administrators may add and edit)."""

from __future__ import annotations

from typing import NamedTuple


class Spec(NamedTuple):
    name: str
    unit: str
    decimals: int
    in_evaluation: bool
    cumulative: bool
    aliases: str


DEFAULT_INDICATORS = (
    Spec("规上工业总产值", "亿元", 2, False, True, "规模以上工业总产值、工业总产值"),
    Spec("规上工业增加值", "亿元", 2, True, True, "规模以上工业增加值、工业增加值"),
    Spec("工业投资", "亿元", 2, True, True, "工业固定资产投资"),
    Spec("固定资产投资", "亿元", 2, False, True, "全社会固定资产投资"),
    Spec("营业收入", "亿元", 2, True, True, "营业总收入"),
    Spec("税收收入", "亿元", 2, True, True, "税收、税收总额"),
    Spec("进出口总额", "亿元", 2, True, True, "外贸进出口总额、进出口"),
    Spec("实际使用外资", "万美元", 0, True, True, "实际利用外资"),
    Spec("四上企业数", "个", 0, False, False, "四上企业"),
    Spec("规上工业企业数", "个", 0, False, False, "规上工业企业、规模以上工业企业数"),
    Spec("高新技术企业数", "个", 0, False, False, "高新技术企业"),
    Spec("专精特新企业数", "个", 0, False, False, "专精特新企业、专精特新中小企业数"),
)


def ensure_default_indicators(indicator_model) -> None:
    """Create the shipped indicators that are missing (edited ones are left alone)."""
    for order, spec in enumerate(DEFAULT_INDICATORS, start=1):
        indicator_model.objects.get_or_create(
            name=spec.name,
            defaults={
                "unit": spec.unit,
                "decimals": spec.decimals,
                "in_evaluation": spec.in_evaluation,
                "cumulative": spec.cumulative,
                "aliases": spec.aliases,
                "order": order * 10,
            },
        )
