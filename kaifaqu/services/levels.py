"""The shipped service levels: days a category's requests may take (an office may change them)."""

from __future__ import annotations

DEFAULT_DAYS = {  # category → (days, days when urgent)
    "land": (30, 15),
    "funding": (20, 10),
    "approval": (15, 7),
    "utilities": (10, 5),
    "labour": (15, 7),
    "environment": (20, 10),
    "other": (15, 7),
}


def ensure_service_levels(level_model) -> None:
    for category, (days, urgent_days) in DEFAULT_DAYS.items():
        level_model.objects.get_or_create(category=category, defaults={"days": days, "urgent_days": urgent_days})


# The usual approvals of an industrial project in Shanxi's zones: name, days, kinds, department.
ALL_KINDS = ("new", "expand", "equipment")
BUILDS = ("new", "expand")
DEFAULT_APPROVALS = (
    ("立项备案", 3, ALL_KINDS, "行政审批局"),
    ("用地预审与选址意见", 20, ("new",), "自然资源局"),
    ("建设用地规划许可", 10, ("new",), "自然资源局"),
    ("不动产权证（土地）", 15, ("new",), "自然资源局"),
    ("环境影响评价", 30, ALL_KINDS, "生态环境局"),
    ("节能审查（能评）", 20, ALL_KINDS, "发展改革局"),
    ("安全评价（安评）", 20, BUILDS, "应急管理局"),
    ("建设工程规划许可", 15, BUILDS, "自然资源局"),
    ("施工图审查", 15, BUILDS, "住房城乡建设局"),
    ("消防设计审查", 15, BUILDS, "住房城乡建设局"),
    ("施工许可", 7, BUILDS, "行政审批局"),
    ("竣工验收", 15, BUILDS, "住房城乡建设局"),
    ("排污许可", 20, ALL_KINDS, "生态环境局"),
)


def ensure_approval_types(type_model) -> None:
    for order, (name, days, kinds, department) in enumerate(DEFAULT_APPROVALS, start=1):
        type_model.objects.get_or_create(
            name=name,
            defaults={"standard_days": days, "kinds": list(kinds), "department": department, "order": order * 10},
        )
