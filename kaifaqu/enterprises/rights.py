"""Who may change an enterprise's record: those who keep the 企业库 of its zone."""

from kaifaqu.core.rights import perm_rule
from kaifaqu.core.scoping import Perm

perm_rule(
    "enterprise.change",
    Perm.ENTERPRISE_CHANGE,
    refusal="您没有“维护企业信息”的权限，或该开发区不在您的管辖范围内。",
)
