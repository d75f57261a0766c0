from django.core.management.base import CommandError

from kaifaqu.core.backup import BackupError, backup
from kaifaqu.core.commands import KaifaquCommand

LABELS = {"sqlite": "SQLite 在线备份", "pg_dump": "pg_dump 自定义格式", "json": "JSON（可跨数据库恢复）"}


class Command(KaifaquCommand):
    help = "把整个数据库和附件、报告、导入文件备份成 PATH 一个文件（应用运行中也可执行，得到一致的快照）。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件路径")
        parser.add_argument(
            "--format",
            choices=["auto", "json"],
            default="auto",
            help="数据库部分的格式。auto：SQLite 用在线备份，PostgreSQL 用 pg_dump（未安装时用 json）；"
            "json：可在两种数据库间恢复",
        )

    def handle(self, *args, path: str, format: str, **options):
        try:
            result = backup(path, kind=format)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = result.size / 1024 / 1024
        self.stdout.write(f"已备份到 {result.path}（{LABELS[result.kind]}，{size:.1f} MB）。")
        files = result.file_bytes / 1024 / 1024
        self.stdout.write(f"其中附件、报告和导入文件 {result.files} 个（{files:.1f} MB），均附校验值。")
