from django.db import migrations

from kaifaqu.zones.roles import ADDED_LATER, ensure_default_roles


def grant_indicator_permissions(apps, schema_editor):
    """The 统计员 role, and the 月调度 codes for the existing 系统管理员 role."""
    role_model = apps.get_model("zones", "Role")
    ensure_default_roles(role_model)
    for code, added in ADDED_LATER.items():
        role = role_model.objects.filter(code=code).first()
        if role is not None:
            role.permissions = [*role.permissions, *(perm for perm in added if perm not in role.permissions)]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("zones", "0003_zone_sector"),
    ]

    operations = [
        migrations.RunPython(grant_indicator_permissions, migrations.RunPython.noop),
    ]
