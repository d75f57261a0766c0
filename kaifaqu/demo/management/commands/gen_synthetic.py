import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from kaifaqu.core.commands import KaifaquCommand
from kaifaqu.demo.synthetic import generate


def positive(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数，收到“{text}”") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，收到“{text}”")
    return value


class Command(KaifaquCommand):
    help = "生成省级规模的合成数据（开发区、园区、企业、项目及其节点、进展和阶段变更），供压测使用。"

    def add_arguments(self, parser):
        parser.add_argument("--zones", type=positive, default=120, help="开发区数量，默认 120")
        parser.add_argument("--projects", type=positive, default=60000, help="项目数量，默认 60000")
        parser.add_argument("--seed", type=int, default=1, help="随机种子，相同种子生成相同数据")

    def handle(self, *args, zones: int, projects: int, seed: int, **options):
        if not settings.DEMO:
            raise CommandError("合成数据只能在演示模式下生成（设置 KAIFAQU_DEMO=1），以免混入正式台账。")
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        summary = generate(
            zones=zones, projects=projects, seed=seed, progress=lambda message: self.stdout.write(f"  {message}")
        )
        self.stdout.write(
            f"已生成：开发区 {summary.zones} 个，企业 {summary.enterprises} 家，项目 {summary.projects} 个，"
            f"节点 {summary.milestones} 个，进展 {summary.progress_reports} 条，阶段变更 {summary.stage_changes} 条"
            f"（用时 {time.perf_counter() - started:.1f} 秒）。"
        )
