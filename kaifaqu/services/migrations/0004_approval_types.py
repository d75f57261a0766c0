from django.db import migrations

from kaifaqu.services.levels import ensure_approval_types


def create_approval_types(apps, schema_editor):
    ensure_approval_types(apps.get_model("services", "ApprovalType"))


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0003_agency"),
    ]

    operations = [
        migrations.RunPython(create_approval_types, migrations.RunPython.noop),
    ]
