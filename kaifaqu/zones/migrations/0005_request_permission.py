from django.db import migrations

from kaifaqu.zones.roles import grant_added_codes


def grant_request_permission(apps, schema_editor):
    """企业服务: 办理企业诉求 for the 系统管理员, 项目专员 and 包联干部 roles already installed."""
    grant_added_codes(apps.get_model("zones", "Role"))


class Migration(migrations.Migration):
    dependencies = [
        ("zones", "0004_indicator_permissions"),
    ]

    operations = [
        migrations.RunPython(grant_request_permission, migrations.RunPython.noop),
    ]
