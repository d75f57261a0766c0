from django.db import migrations

DEFAULTS = ("续建", "尽快开工", "力争开工", "新开工", "前期", "招商储备")


def load(apps, schema_editor):
    category = apps.get_model("projects", "PlanCategory")
    for order, name in enumerate(DEFAULTS, start=1):
        category.objects.get_or_create(name=name, unit=None, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
