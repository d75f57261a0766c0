from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.commands.runserver import Command as RunserverCommand

from kaifaqu.core.commands import KaifaquCommand


class QuietRunserver(RunserverCommand):
    """Django's server without its English banner and development-server warning.

    ``start`` has already said, in Chinese, where the platform listens and how to stop it.
    """

    def on_bind(self, server_port):
        pass


class Command(KaifaquCommand):
    help = "启动开发区调度平台：建库、（演示模式下空库时）加载演示数据、打印访问地址和账号，然后运行内置服务器。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
        parser.add_argument("--no-serve", action="store_true", help="只建库和加载数据，不启动服务器")

    def handle(self, *args, host: str, port: int, no_serve: bool, **options):
        if not 0 < port < 65536:
            raise CommandError(f"端口 {port} 无效：应在 1–65535 之间。", returncode=2)
        self.stdout.write("正在检查数据库结构……")
        call_command("migrate", verbosity=0, interactive=False)
        if settings.DEMO:
            self._load_demo_if_empty()
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
        self.stdout.write(self.style.SUCCESS(f"开发区调度平台已就绪：{url}"))
        if settings.DEMO:
            from kaifaqu.demo.management.commands.load_demo import print_logins

            self.stdout.write(print_logins())
        if no_serve:
            return
        self.stdout.write("按 Ctrl+C 停止。")
        call_command(QuietRunserver(), f"{host}:{port}", use_reloader=False, skip_checks=True)

    def _load_demo_if_empty(self) -> None:
        from kaifaqu.demo.services import demo_data_exists, demo_load

        if demo_data_exists():
            self.stdout.write("数据库中已有数据，不加载演示数据。")
            return
        self.stdout.write("数据库为空，正在加载演示数据（约 10 秒）……")
        summary = demo_load()
        self.stdout.write(
            f"已加载演示数据：开发区 {summary.zones} 个，企业 {summary.enterprises} 家，项目 {summary.projects} 个。"
        )
