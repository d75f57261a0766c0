"""``{% can "project.change" project as allowed %}``: the page asks the rule its service enforces."""

from django import template

from kaifaqu.core.rights import can as may

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None) -> bool:
    request = context.get("request")
    return may(getattr(request, "user", None), action, obj)
