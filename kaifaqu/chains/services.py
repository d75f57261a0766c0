"""Every write to a chain: drawing it (chain, links) and placing records on its links."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kaifaqu.audit import trail
from kaifaqu.core.rights import ensure
from kaifaqu.core.uploads import validate_upload
from kaifaqu.core.validation import ErrorBag, full_clean_into

from .models import ChainEnterprise, ChainLink, ChainPolicy, ChainProject, ChainTarget, IndustryChain, Policy
from .rights import RECORD_RIGHTS, may_place


def _save(*, user, instance, fields: dict[str, Any], chain_of) -> Any:
    """Create or change a chain or a link: the chain right before and after, the checks, the audit."""
    creating = instance.pk is None
    if not creating:
        ensure(user, "chain.change", chain_of(instance))
    for name, value in fields.items():
        setattr(instance, name, value)
    chain = chain_of(instance)
    placed = chain.zone_id is not None or chain.region_id is not None
    if placed:  # refuse before saying what is wrong with a form the user may not send
        ensure(user, "chain.change", chain)
    bag = ErrorBag()
    full_clean_into(instance, bag)
    if isinstance(instance, ChainLink):
        _check_link(instance, bag)
    elif placed and instance.leader_enterprise is not None and not instance.covers(instance.leader_enterprise.zone):
        leader = instance.leader_enterprise
        bag.add("leader_enterprise", f"链主企业“{leader}”不在该产业链的范围（{instance.scope_name}）内。")
    bag.raise_if_any()
    if not placed:
        ensure(user, "chain.change", chain)
    trail.save_recorded(user=user, instance=instance)  # with its one entry: created, or what changed
    return instance


@transaction.atomic
def chain_save(*, user, chain: IndustryChain, fields: dict[str, Any]) -> IndustryChain:
    """Register or change a chain. A zone's chain lies in its zone's region; its 链主 is an enterprise
    of the chain's scope."""
    fields = dict(fields)
    if fields.get("zone") is not None:
        fields["region"] = fields["zone"].region
    return _save(user=user, instance=chain, fields=fields, chain_of=lambda item: item)


@transaction.atomic
def link_save(*, user, link: ChainLink, fields: dict[str, Any]) -> ChainLink:
    return _save(user=user, instance=link, fields=fields, chain_of=lambda item: item.chain)


def _check_link(link: ChainLink, bag: ErrorBag) -> None:
    parent = link.parent
    if parent is None:
        return
    if parent.chain_id != link.chain_id:
        bag.add("parent", "上级环节须属于同一条产业链。")
    elif parent.segment != link.segment:
        bag.add("segment", f"下级环节的链段须与上级环节“{parent}”相同（{parent.get_segment_display()}）。")
    ancestor = parent
    while ancestor is not None:  # no loops: a link cannot sit under itself
        if link.pk is not None and ancestor.pk == link.pk:
            bag.add("parent", "上级环节不能是该环节自身或其下级。")
            break
        ancestor = ancestor.parent


@transaction.atomic
def link_delete(*, user, link: ChainLink) -> None:
    ensure(user, "chain.change", link.chain)
    trail.record_delete(user=user, instance=link)
    link.delete()


def _ensure_place(user, link: ChainLink, kind: str, record) -> None:
    if not may_place(user, kind, record):
        ensure(user, RECORD_RIGHTS[kind], record)  # raises with the record rule's own refusal
        raise PermissionDenied("您没有维护该记录的权限。")
    chain = link.chain
    if not (record.overlaps(chain) if kind == "policy" else chain.covers(record.zone)):
        raise ValidationError(f"“{record}”不在{chain.scope_name}{chain.name}产业链的范围内。")


@transaction.atomic
def enterprise_place(*, user, link: ChainLink, enterprise, product: str = "") -> ChainEnterprise:
    """Put an enterprise on a link with its product (again: the product is updated)."""
    _ensure_place(user, link, "enterprise", enterprise)
    placed = ChainEnterprise.objects.filter(link=link, enterprise=enterprise).first()
    placed = placed or ChainEnterprise(link=link, enterprise=enterprise)
    if product.strip() or placed.pk is None:  # placed again with no product: the one given before stays
        placed.product = product.strip()
    trail.save_recorded(user=user, instance=placed)
    return placed


@transaction.atomic
def project_place(*, user, link: ChainLink, project, task: str | None = None) -> ChainProject:
    """Put a project (or a lead) on a link. Its task defaults to the link's (已有 → 强链, 薄弱 → 补链,
    缺失 → 延链; a chain being built: 建链). A project sits on one link: placing it again moves it."""
    _ensure_place(user, link, "project", project)
    task = task or link.task
    placed = ChainProject.objects.filter(project=project).first() or ChainProject(project=project)
    creating = placed.pk is None
    placed.link, placed.task = link, task
    if creating and user is not None:
        placed.created_by = user
    bag = ErrorBag()
    full_clean_into(placed, bag, exclude=["project"])
    bag.raise_if_any()
    trail.save_recorded(user=user, instance=placed)  # with its one entry: created, or what changed
    return placed


@transaction.atomic
def target_place(*, user, link: ChainLink, target) -> ChainTarget:
    """Seek a 招商 target for a link (its 招商清单)."""
    _ensure_place(user, link, "target", target)
    placed, created = ChainTarget.objects.get_or_create(link=link, target=target)
    if created:
        trail.record_create(user=user, instance=placed)
    return placed


@transaction.atomic
def policy_place(*, user, link: ChainLink, policy: Policy) -> ChainPolicy:
    """List a policy in a link's 政策清单."""
    _ensure_place(user, link, "policy", policy)
    placed, created = ChainPolicy.objects.get_or_create(link=link, policy=policy)
    if created:
        trail.record_create(user=user, instance=placed)
    return placed


@transaction.atomic
def unplace(*, user, placed) -> None:
    """Take an enterprise, a project, a target or a policy off its link."""
    kinds = {ChainEnterprise: "enterprise", ChainProject: "project", ChainTarget: "target", ChainPolicy: "policy"}
    kind = kinds[type(placed)]
    record = getattr(placed, kind)
    if not may_place(user, kind, record):
        ensure(user, RECORD_RIGHTS[kind], record)
    trail.record_delete(user=user, instance=placed)
    placed.delete()


# ---------------------------------------------------------------- policies

POLICY_FILE_KINDS = ("pdf", "docx", "jpg", "jpeg", "png")


@transaction.atomic
def policy_save(*, user, policy: Policy, fields: dict[str, Any], links=None, upload=None) -> Policy:
    """Register or change a policy: its owner (a zone, or an office's region), the links it serves
    (each on a chain it overlaps and the user sees), its file (checked as every upload is)."""
    fields = dict(fields)
    if fields.get("zone") is not None:
        fields["region"] = fields["zone"].region
    if policy.pk is not None:
        ensure(user, "policy.change", policy)
    for name, value in fields.items():
        setattr(policy, name, value)
    ensure(user, "policy.change", policy)
    bag = ErrorBag()
    full_clean_into(policy, bag, exclude=["file"])
    if policy.issued_on is not None and policy.issued_on > timezone.localdate():
        bag.add("issued_on", "发布日期不能晚于今天。")
    links = list(links) if links is not None else None
    for link in links or []:
        if not policy.overlaps(link.chain):
            bag.add("links", f"环节“{link.chain.name} › {link.name}”不在该政策的范围（{policy.scope_name}）内。")
    if upload is not None:
        try:
            validate_upload(upload, allowed=POLICY_FILE_KINDS)
        except ValidationError as exc:
            for message in exc.messages:
                bag.add("file", message)
    bag.raise_if_any()
    if policy.pk is None and user is not None:
        policy.created_by = user
    if upload is not None:
        if policy.file:
            policy.file.delete(save=False)
        policy.file, policy.file_name = upload, upload.name[:200]
    trail.save_recorded(user=user, instance=policy)
    if links is not None:
        _set_policy_links(user, policy, links)
    return policy


def _set_policy_links(user, policy: Policy, links) -> None:
    wanted = {link.pk for link in links}
    for placed in ChainPolicy.objects.filter(policy=policy).exclude(link_id__in=wanted):
        trail.record_delete(user=user, instance=placed)
        placed.delete()
    have = set(ChainPolicy.objects.filter(policy=policy).values_list("link_id", flat=True))
    for link in links:
        if link.pk not in have:
            trail.record_create(user=user, instance=ChainPolicy.objects.create(link=link, policy=policy))


@transaction.atomic
def policy_delete(*, user, policy: Policy) -> None:
    ensure(user, "policy.change", policy)
    trail.record_delete(user=user, instance=policy)
    if policy.file:
        policy.file.delete(save=False)
    policy.delete()
