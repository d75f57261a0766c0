from django.core.management.base import CommandError

from kaifaqu.core.backup import BackupError, restore
from kaifaqu.core.commands import KaifaquCommand


class Command(KaifaquCommand):
    help = (
        "把 kaifaqu backup 生成的备份恢复到当前（空的）数据库和数据目录：先核对每个文件的校验值，不符则不做任何改动。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件路径")

    def handle(self, *args, path: str, **options):
        try:
            result = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已从 {path} 恢复（格式：{result.kind}）。")
        if result.files is None:
            self.stdout.write(
                "注意：这是只含数据库的旧版备份，不含附件、报告和导入文件；这些文件请从原服务器的数据目录另行复制。"
            )
        else:
            size = result.file_bytes / 1024 / 1024
            self.stdout.write(f"附件、报告和导入文件 {result.files} 个（{size:.1f} MB）已恢复，校验值全部相符。")
