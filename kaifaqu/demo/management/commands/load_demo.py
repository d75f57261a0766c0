import unicodedata

from django.core.management import call_command
from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand
from kaifaqu.demo.data import DEMO_PASSWORD
from kaifaqu.demo.services import DEMO_USERS, DemoDataExists, demo_load


class Command(KaifaquCommand):
    help = "加载演示数据（山西各开发区、企业、项目及演示账号）到空数据库；已有数据时拒绝，除非加 --force。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="清空现有台账数据后重新加载演示数据")

    def handle(self, *args, force: bool = False, **options):
        call_command("migrate", verbosity=0, interactive=False)
        try:
            summary = demo_load(force=force)
        except DemoDataExists as exc:
            raise CommandError(str(exc)) from exc
        except PermissionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已加载演示数据：开发区 {summary.zones} 个，企业 {summary.enterprises} 家，项目 {summary.projects} 个。"
        )
        self.stdout.write(print_logins())


def print_logins() -> str:
    """The demo logins as a two-column table, aligned in a terminal."""
    rows = [("账号", "单位 · 角色"), *((username, display) for username, display, *_ in DEMO_USERS)]
    width = max(display_width(username) for username, _ in rows) + 2
    lines = [f"演示账号（密码均为 {DEMO_PASSWORD}）："]
    lines += [f"  {pad_to_width(username, width)}{display}" for username, display in rows]
    return "\n".join(lines)


def display_width(text: str) -> int:
    """Terminal columns: a Chinese character (East Asian wide or full-width) takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad_to_width(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)
