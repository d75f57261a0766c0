from django.db import migrations

from kaifaqu.zones.roles import ensure_default_roles, grant_added_codes


def grant_indicator_permissions(apps, schema_editor):
    """The 统计员 role, and the 月调度 codes for the existing 系统管理员 role."""
    role_model = apps.get_model("zones", "Role")
    ensure_default_roles(role_model)
    grant_added_codes(role_model)


class Migration(migrations.Migration):
    dependencies = [
        ("zones", "0003_zone_sector"),
    ]

    operations = [
        migrations.RunPython(grant_indicator_permissions, migrations.RunPython.noop),
    ]
