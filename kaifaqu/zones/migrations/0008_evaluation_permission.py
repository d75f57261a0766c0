from django.db import migrations

from kaifaqu.zones.roles import grant_added_codes


def grant_evaluation_permission(apps, schema_editor):
    """考核: 维护考核方案、发布考核结果 for the 系统管理员 role already installed."""
    grant_added_codes(apps.get_model("zones", "Role"))


class Migration(migrations.Migration):
    dependencies = [
        ("zones", "0007_membership_leadership_since"),
    ]

    operations = [
        migrations.RunPython(grant_evaluation_permission, migrations.RunPython.noop),
    ]
