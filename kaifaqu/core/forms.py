"""Form pieces shared by the ledger pages: Bootstrap classes, date inputs, service validation."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from .scoping import scope_for


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class StyledFormMixin:
    """Give every widget the Bootstrap class it needs; mark invalid fields after validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        """Also called by forms that add their fields after ``__init__`` (one per indicator, say)."""
        for field in self.fields.values():
            widget = field.widget
            if "form-" in widget.attrs.get("class", ""):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(field, forms.DecimalField):
                widget.attrs.setdefault("step", "0.01")
                widget.attrs.setdefault("inputmode", "decimal")
            if isinstance(field, forms.DateField):
                field.widget = DateInput(attrs=widget.attrs)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
                widget.attrs["aria-invalid"] = "true"


class ServiceModelForm(StyledFormMixin, forms.ModelForm):
    """A model form whose view saves through a service, never with ``form.save()``.

    The form runs the model's field checks so every field error shows at once; the
    service runs them again with the rules that tie fields together, and its errors
    are put back on the form (``add_service_errors``), so pages, API and commands
    refuse the same input with the same message.
    """

    def changed_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


def editable_zones(user, zone_model, *perms: str):
    """The zones where ``user`` holds any of ``perms``, for a form's zone select."""
    scope = scope_for(user)
    zones = zone_model.objects.visible_to(user)
    if scope.everything:
        return zones
    allowed = frozenset().union(*(scope.zones_with(perm) for perm in perms))
    return zones.filter(pk__in=sorted(allowed))


class LoginForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autofocus"] = True

    def clean(self):
        """Refuse at once, without checking the password, while the user or the address is locked out."""
        from kaifaqu.audit.middleware import client_ip
        from kaifaqu.audit.models import AuditEntry
        from kaifaqu.audit.trail import record_event

        from .security import login_blocked

        username = self.cleaned_data.get("username") or ""
        reason = login_blocked(username, client_ip(self.request) if self.request else None)
        if reason:
            record_event(action=AuditEntry.Action.LOGIN_FAILED, username=username, note="已锁定，未核对密码")
            raise ValidationError(reason, code="locked")
        return super().clean()
