from django.db import migrations

from kaifaqu.indicators.catalogue import ensure_default_indicators


def create(apps, schema_editor):
    ensure_default_indicators(apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
