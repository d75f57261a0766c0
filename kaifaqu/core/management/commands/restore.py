from django.core.management.base import CommandError

from kaifaqu.core.backup import BackupError, restore
from kaifaqu.core.commands import KaifaquCommand


class Command(KaifaquCommand):
    help = "把 kaifaqu backup 生成的备份恢复到当前（空的）数据库。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件路径")

    def handle(self, *args, path: str, **options):
        try:
            kind = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已从 {path} 恢复（格式：{kind}）。")
