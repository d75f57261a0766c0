from django.db import migrations

from kaifaqu.services.levels import ensure_service_levels


def create_service_levels(apps, schema_editor):
    ensure_service_levels(apps.get_model("services", "ServiceLevel"))


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_service_levels, migrations.RunPython.noop),
    ]
