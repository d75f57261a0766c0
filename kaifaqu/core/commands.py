"""A base for kaifaqu's own management commands: errors as one Chinese line.

Automated checks and office staff both read these messages, so an unknown zone, a
bad year or an unknown flag ends with a single line saying what is wrong (exit 2
for bad arguments, 1 for refused work), never a traceback or argparse's English.
"""

from __future__ import annotations

import datetime
import re
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser, handle_default_options
from django.db import connections

_ARGPARSE_MESSAGES = (
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (re.compile(r"the following arguments are required: (.+)"), "缺少必需的参数：{0}"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 需要一个值"),
    (
        re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"),
        "参数 {0} 的值 {1} 无效，可选：{2}",
    ),
    (re.compile(r"argument (\S+): invalid (\w+) value: (.+)"), "参数 {0} 的值无效：{2}"),
    (re.compile(r"ambiguous option: (.+)"), "参数不明确：{0}"),
    (re.compile(r"argument (\S+): (.+)"), "参数 {0}：{1}"),
)


def translate_argparse(message: str) -> str:
    for pattern, template in _ARGPARSE_MESSAGES:
        match = pattern.search(message)
        if match:
            return template.format(*match.groups())
    return f"参数错误：{message}"


class ChineseArgumentParser(CommandParser):
    def error(self, message):
        text = translate_argparse(message)
        if self.called_from_command_line:
            sys.stderr.write(f"{text}（用法：{self.prog} --help）\n")
            sys.exit(2)
        raise CommandError(text, returncode=2)


class KaifaquCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Same parser, with an ``error`` that speaks Chinese in one line.
        parser.__class__ = ChineseArgumentParser
        return parser

    def run_from_argv(self, argv):
        """Django's own, except that a ``CommandError`` prints as its bare message."""
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as error:
            if options.traceback:
                raise
            self.stderr.write(str(error))
            sys.exit(error.returncode)
        finally:
            connections.close_all()


def refusal_message(error: Exception) -> str:
    """A service's refusal (``ValidationError``, ``PermissionDenied``) as one line: every reason, joined."""
    if hasattr(error, "message_dict"):
        messages = [message for field_messages in error.message_dict.values() for message in field_messages]
    elif hasattr(error, "messages"):
        messages = list(error.messages)
    else:
        messages = [str(error)]
    return "；".join(message.rstrip("。") for message in messages) + "。"


def parse_day(text: str) -> datetime.date:
    """A command's ``YYYY-MM-DD`` argument, or one Chinese line saying what is wrong."""
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise CommandError(f"日期“{text}”无效：应为 YYYY-MM-DD，如 2025-03-28。") from exc


def parse_month(text: str) -> tuple[int, int]:
    """A command's ``YYYY-MM`` argument as (year, month)."""
    try:
        day = datetime.date.fromisoformat(f"{text.strip()}-01")
    except ValueError as exc:
        raise CommandError(f"月份“{text}”无效：应为 YYYY-MM，如 2024-03。") from exc
    return day.year, day.month


def find_city(name: str):
    """A city (or a province, for the province's own figures) by name, or one Chinese line."""
    from kaifaqu.regions.selectors import RegionAmbiguous, RegionNotFound, region_by_name

    try:
        return region_by_name(name, levels=("city", "province"))
    except RegionAmbiguous as exc:
        raise CommandError(f"地市名称{exc}") from exc
    except RegionNotFound as exc:
        raise CommandError(f"未找到地市“{name}”。") from exc
