"""The 榜单 with its standings as a report (.docx for the office's files, .xlsx to sort and sum):
the board's facts, the ranking per claimant, and each bounty's 擂台 ranking."""

from __future__ import annotations

from kaifaqu.core.money import format_wan
from kaifaqu.reports.content import ReportContent, Section, Table

from .bounty_selectors import BoardView
from .models import BountyBoard

NUMERALS = "一二三四五六七八九十"


def board_report(view: BoardView) -> ReportContent:
    board = view.board
    claims = [item.claim for _bounty, standings in view.bounties for item in standings]
    published = f"{board.published_on:%Y年%-m月%-d日}发布" if board.published_on else "草稿，尚未发布"
    if board.status == BountyBoard.Status.CLOSED and board.closed_on:
        published += f"，{board.closed_on:%Y年%-m月%-d日}结束"
    subtitle = f"{board.scope_name} · {published} · 揭榜截止{board.deadline:%Y年%-m月%-d日}"
    summary = (
        f"本榜单共{len(view.bounties)}个榜，揭榜{len(claims)}次，"
        f"已达标{sum(1 for claim in claims if claim.completed_on)}次，"
        f"验收通过{sum(1 for claim in claims if claim.result == 'passed')}次。"
    )
    facts = [summary]
    if board.description:
        facts.append(board.description)
    if board.reward_note:
        facts.append(f"奖励说明：{board.reward_note}")
    sections = [
        Section("一、榜单概况", paragraphs=facts, tables=[_bounty_table(view)]),
        Section("二、擂台排名（按揭榜团队）", tables=[_claimant_table(view)]),
        Section("三、各榜揭榜情况", tables=[_standings_table(*pair) for pair in view.bounties]),
    ]
    return ReportContent(title=board.title, subtitle=subtitle, sections=sections)


def _bounty_table(view: BoardView) -> Table:
    rows = []
    for number, (bounty, standings) in enumerate(view.bounties, start=1):
        title = f"{bounty.title}（{bounty.link.name}）" if bounty.link else bounty.title
        goal = format_wan(bounty.goal, grouped=True)
        rows.append([str(number), title, bounty.get_kind_display(), goal, _term(bounty), str(len(standings))])
    headers = ["序号", "榜题（服务环节）", "类型", "目标值（万元）", "考核期或完成时限", "揭榜数"]
    return Table("表1 重点招引目标", headers, rows)


def _term(bounty) -> str:
    if bounty.period_start and bounty.period_end:
        return f"{bounty.period_start:%Y.%m.%d}至{bounty.period_end:%Y.%m.%d}"
    return f"{bounty.deadline:%Y.%m.%d}前" if bounty.deadline else "—"


def _claimant_table(view: BoardView) -> Table:
    rows = [
        [str(row.rank), row.name, row.unit, row.team or "—", row.claimed, row.completed, row.verified, str(row.score)]
        for row in view.claimants
    ]
    headers = ["名次", "揭榜人", "揭榜单位", "团队", "揭榜", "达标", "验收通过", "得分"]
    return Table("擂台排名（按揭榜团队）", headers, rows, note="尚无人揭榜" if not rows else "")


def _standings_table(bounty, standings) -> Table:
    rows = []
    for item in standings:
        claim = item.claim
        value = claim.achieved if claim.verified and claim.achieved is not None else claim.reached
        rows.append(
            [
                str(item.rank),
                claim.team or claim.unit.name,
                claim.claimant_name,
                f"{claim.claimed_on:%Y-%m-%d}",
                format_wan(value, grouped=True),
                f"{item.percent}%",
                f"{claim.completed_on:%Y-%m-%d}" if claim.completed_on else "—",
                item.state,
            ]
        )
    headers = ["名次", "揭榜单位（团队）", "揭榜人", "揭榜日期", "完成值（万元）", "完成率", "达标日期", "状态"]
    goal = f"{bounty.get_kind_display()}，目标值{format_wan(bounty.goal, grouped=True)}万元"
    # The title names the sheet in the workbook (28 characters): the goal goes in the note below.
    return Table(bounty.title, headers, rows, note=f"{goal}；无人揭榜。" if not rows else f"{goal}。")
