"""The one answer to "may this user do this?": write rights, shaped as reads are.

Reading goes through ``visible_to(user)``; writing goes through the rules declared here.
Each action (``"project.change"``, ``"request.resolve"`` …) is declared once, by the app
that owns it, in its ``rights.py`` (loaded by the app's ``ready``): a test and the refusal a
user reads. Then

- services call ``ensure(user, action, obj)`` before they write;
- views, menus, buttons and dialogs call ``can(user, action, obj)`` (templates use the
  ``may`` context for object-free questions and ``{% can action obj as name %}``) to show
  only what the user may do;
- form selects and lists of "what I may change" call ``restrict(user, action, queryset)``.

So a page never offers what its service will refuse, and the two cannot drift apart. The
permission codes a role grants (``scoping.Perm``) and the matrix in docs/permissions.md stay
the source of the rules; a rule turns them into one question about one kind of record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from .scoping import Perm, scope_for

Test = Callable[..., bool]  # (user, obj, **context) -> bool


@dataclass(frozen=True)
class Rule:
    action: str
    test: Test
    refusal: str | Callable[..., str]  # what the user reads when refused (may use obj and context)
    # The zone ids where the action may apply (None: every zone); used by ``restrict``.
    zones: Callable[[Any], frozenset[int] | None] | None = None
    # A finer filter than the zones, for rules that also look at the record (e.g. a project's stage).
    narrow: Callable[[Any, QuerySet], QuerySet] | None = None


_RULES: dict[str, Rule] = {}


def rule(
    action: str,
    *,
    refusal: str | Callable[..., str],
    zones: Callable[[Any], frozenset[int] | None] | None = None,
    narrow: Callable[[Any, QuerySet], QuerySet] | None = None,
) -> Callable[[Test], Test]:
    """Declare ``action``'s test (decorator). An action is declared once."""

    def register(test: Test) -> Test:
        if action in _RULES and _RULES[action].test is not test:
            raise ValueError(f"权限规则“{action}”重复声明。")
        _RULES[action] = Rule(action, test, refusal, zones, narrow)
        return test

    return register


def perm_rule(action: str, perm: str, *, refusal: str | Callable[..., str]) -> None:
    """The plain rule: the user holds ``perm`` for the record's zone (or, asked of no record, for some zone)."""

    def test(user, obj=None, **context) -> bool:
        scope = scope_for(user)
        if obj is None:
            return scope.can_anywhere(perm)
        return scope.can(perm, zone_id_of(obj))

    rule(action, refusal=refusal, zones=lambda user: zones_with(user, perm))(test)


def zones_with(user, *perms: str) -> frozenset[int] | None:
    """The zone ids where the user holds any of ``perms`` (None: every zone, for operators)."""
    scope = scope_for(user)
    if scope.everything:
        return None
    return frozenset().union(*(scope.zones_with(perm) for perm in perms))


def zone_id_of(obj) -> int | None:
    """The zone a record belongs to: a zone (or its id) itself, or anything with a ``zone_id``."""
    if obj is None or isinstance(obj, int):
        return obj
    if isinstance(obj, Model) and obj._meta.label_lower == "zones.zone":
        return obj.pk
    return getattr(obj, "zone_id", None)


def can(user, action: str, obj=None, **context) -> bool:
    """May ``user`` do ``action`` (to ``obj``, when given; with no object: anywhere at all)?

    A signed-out user has an empty scope, so every rule built on permissions refuses it; ``None``
    is the operator at the command line only where a rule says so (e.g. ``campaign.run``).
    """
    return bool(_rule(action).test(user, obj, **context))


def ensure(user, action: str, obj=None, **context) -> None:
    """Raise ``PermissionDenied`` with the rule's message unless ``can(user, action, obj)``."""
    if can(user, action, obj, **context):
        return
    refusal = _rule(action).refusal
    raise PermissionDenied(refusal(user, obj, **context) if callable(refusal) else refusal)


def restrict(user, action: str, queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` (scoped to what the user sees) on which the user may do ``action``."""
    found = _rule(action)
    if found.zones is None:
        raise ValueError(f"权限规则“{action}”不能用于筛选列表。")
    scoped = queryset.visible_to(user)
    ids = found.zones(user)
    if ids is not None:
        path = "pk" if scoped.model._meta.label_lower == "zones.zone" else f"{scoped.zone_path}"
        scoped = scoped.filter(**{f"{path}__in": sorted(ids)})
    return found.narrow(user, scoped) if found.narrow else scoped


def actions() -> list[str]:
    """Every declared action (for the permission matrix's tests and docs)."""
    return sorted(_RULES)


def _rule(action: str) -> Rule:
    try:
        return _RULES[action]
    except KeyError:
        raise LookupError(f"未声明的权限规则：{action}") from None


class May:
    """The object-free questions, for templates: ``{% if may.ledger_import %}`` asks ``can(user, "ledger.import")``.

    The last underscore separates the record from the verb (``plan_category_change`` → ``plan_category.change``).
    """

    def __init__(self, user) -> None:
        self._user = user
        self._answers: dict[str, bool] = {}

    def __getitem__(self, key: str) -> bool:
        if key not in self._answers:
            record, _, verb = key.rpartition("_")
            self._answers[key] = can(self._user, f"{record}.{verb}")
        return self._answers[key]

    def __contains__(self, key: str) -> bool:
        record, _, verb = key.rpartition("_")
        return f"{record}.{verb}" in _RULES


# The rights that belong to no one app.
perm_rule("audit.view", Perm.AUDIT_VIEW, refusal="您没有“查看和导出操作记录”的权限。")
perm_rule(
    "zone.change",
    Perm.ZONE_CHANGE,
    refusal="您没有“维护园区与年度分类”的权限，或该开发区不在您的管辖范围内。",
)


@rule("zone.register", refusal="只有系统管理员可以新增或修改开发区信息。")
def may_register_zones(user, obj=None, **context) -> bool:
    """The list of zones itself (adding one, its name, level, area) is the platform operators'."""
    return scope_for(user).everything


@rule("api.docs", refusal="API 文档供系统对接人员使用，请联系本单位的系统管理员。")
def may_read_api_docs(user, obj=None, **context) -> bool:
    """The API's documentation is for those who connect other systems: operators and the staff of an
    office or zone who keep records (not enterprises, not read-only leaders). The API itself stays
    open to every signed-in user, scoped as the pages are."""
    scope = scope_for(user)
    return scope.everything or (scope.unit_id is not None and scope.enterprise_id is None and not scope.read_only)
