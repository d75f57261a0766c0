from django.db import migrations

from kaifaqu.enterprises.industries import ensure_industry_classes


def load_industry_classes(apps, schema_editor):
    ensure_industry_classes(apps.get_model("enterprises", "IndustryClass"))


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0003_registry"),
    ]

    operations = [
        migrations.RunPython(load_industry_classes, migrations.RunPython.noop),
    ]
