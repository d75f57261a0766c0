from kaifaqu.core.commands import KaifaquCommand, parse_day
from kaifaqu.notifications.reminders import send_reminders
from kaifaqu.projects.models import local_today


class Command(KaifaquCommand):
    help = (
        "发送到期的提醒（逾期诉求、逾期代办事项、逾期节点、逾期月报）：站内消息、电子邮件和各单位配置的企业微信、钉钉、飞书群机器人。"
        "每个事项每个周期只发一次；发送失败的下次运行时重试。适合由定时任务每天运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的消息，不发送、不记录")
        parser.add_argument("--date", help="按这一天计算到期事项（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options):
        today = parse_day(options["date"]) if options["date"] else local_today()
        lines = send_reminders(today=today, dry_run=options["dry_run"])
        for line in lines:
            self.stdout.write(str(line) if line.status != "failed" else f"{line}\t（发送失败，下次重试）")
        sent = sum(line.status == "sent" for line in lines)
        failed = sum(line.status == "failed" for line in lines)
        if options["dry_run"]:
            self.stderr.write(f"试运行：将发送 {len(lines)} 条消息。")
        else:
            self.stderr.write(f"已发送 {sent} 条，失败 {failed} 条。")
