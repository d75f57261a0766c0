"""The 招商方式 the seeds name (灵石's “七种模式”, 吕梁's 链主+园区 …), as editable rows."""

from django.db import migrations

DEFAULTS = (
    ("产业链招商", "围绕链主企业和产业链缺失环节招引（“链主企业+园区”）"),
    ("以商招商", "在区企业引荐上下游、合作伙伴"),
    ("基金招商", "以产业基金投资带动项目落地"),
    ("场景招商", "开放应用场景吸引企业"),
    ("成本招商", "以要素成本优势（能源、土地、物流）招引"),
    ("平台招商", "平台公司（运营公司）市场化招引"),
    ("专业招商", "委托专业机构、专班、驻点团队"),
    ("驻地招商", "在重点城市设立驻地招商点"),
    ("委托招商", "委托中介、商协会招引"),
    ("其他", ""),
)


def add_modes(apps, schema_editor):
    mode = apps.get_model("investment", "InvestmentMode")
    for order, (name, description) in enumerate(DEFAULTS, start=1):
        mode.objects.get_or_create(name=name, defaults={"description": description, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("investment", "0001_initial")]

    operations = [migrations.RunPython(add_modes, migrations.RunPython.noop)]
