"""Form pieces shared by the ledger pages: Bootstrap classes, date inputs, service validation."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from .money import amount_needs_confirm, amount_problem, confirm_message, is_money_label
from .validation import CHOICE, DATE, DATETIME, DECIMAL, INTEGER, RELATION, TEXT, field_messages, short_label


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
            # No browser ``maxlength``: it cuts pasted text silently; the form refuses it in words instead.
            if widget.attrs.get("maxlength") == str(getattr(field, "max_length", None)):
                del widget.attrs["maxlength"]
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
        # Set here, not in __init__: some forms add fields later (a date per stage, say).
        for name, field in self.fields.items():
            field.error_messages.update(form_field_messages(name, field))
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
                widget.attrs["aria-invalid"] = "true"


def form_field_messages(name: str, field: forms.Field) -> dict[str, str]:
    """Our messages (``core.validation.field_messages``) for the codes this form field raises.

    Only the field's own codes are set: a ``ModelForm`` puts a form field's message over the
    model's for the same code, and a model validator's own words (项目代码…) must survive.
    """
    label = field.label or name
    if isinstance(field, forms.BooleanField):
        return {"required": f"请勾选“{short_label(label)}”。"}
    kind = next((k for cls, k in _FORM_KINDS if isinstance(field, cls)), TEXT)
    ours = field_messages(
        label,
        kind,
        max_length=getattr(field, "max_length", None),
        min_length=getattr(field, "min_length", None),
        max_digits=getattr(field, "max_digits", None),
        decimal_places=getattr(field, "decimal_places", None),
        min_value=getattr(field, "min_value", None),
        max_value=getattr(field, "max_value", None),
    )
    own = set(field.error_messages) | {getattr(v, "code", None) for v in field.validators}
    own |= {"max_digits", "max_decimal_places", "max_whole_digits"} if kind == DECIMAL else set()
    chosen = _chosen_messages(field)
    return {code: message for code, message in ours.items() if code in own and code not in chosen}


def _chosen_messages(field: forms.Field) -> set[str]:
    """Codes whose message a form set itself (``error_messages=``): those words are kept."""
    stock: dict = {}
    for cls in reversed(type(field).__mro__):
        stock.update(getattr(cls, "default_error_messages", {}))
    return {code for code, message in field.error_messages.items() if code not in stock or message != stock[code]}


# Subclasses before their bases: a model choice is a choice, a decimal an integer-like number.
_FORM_KINDS = (
    (forms.ModelChoiceField, RELATION),
    (forms.ModelMultipleChoiceField, RELATION),
    (forms.ChoiceField, CHOICE),
    (forms.DecimalField, DECIMAL),
    (forms.FloatField, DECIMAL),
    (forms.IntegerField, INTEGER),
    (forms.DateTimeField, DATETIME),
    (forms.DateField, DATE),
)


class AmountConfirmMixin:
    """Amounts above the confirm bound (``core.money``) are saved only once the user ticks
    “确认金额无误”: a 1,500亿元 project exists, but is more often 元 typed as 万元.

    The template shows ``form.confirm_amounts`` where ``form.asks_amount_confirm``.
    """

    confirm_field = "confirm_amounts"
    asks_amount_confirm = False  # set by ``check_large_amounts``: an error takes the field out of cleaned_data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.confirm_field] = forms.BooleanField(label="确认金额无误", required=False)
        self.style_fields()

    def clean(self):
        cleaned = super().clean()
        self.check_large_amounts()
        return cleaned

    def large_amount_fields(self) -> list[str]:
        data = getattr(self, "cleaned_data", {})
        return [
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.DecimalField)
            and is_money_label(field.label)
            and amount_needs_confirm(data.get(name))
        ]

    def check_large_amounts(self) -> None:
        """An amount beyond the bound is refused; a large one unconfirmed is an error on its field."""
        confirmed = self.cleaned_data.get(self.confirm_field)
        for name in self.large_amount_fields():
            label = short_label(self.fields[name].label)
            problem = amount_problem(self.cleaned_data[name], label=label)
            if problem:
                self.add_error(name, problem)
                continue
            self.asks_amount_confirm = True
            if not confirmed:
                self.add_error(name, confirm_message(label))


class ServiceModelForm(StyledFormMixin, forms.ModelForm):
    """A model form whose view saves through a service, never with ``form.save()``.

    The form runs the model's field checks so every field error shows at once; the
    service runs them again with the rules that tie fields together, and its errors
    are put back on the form (``add_service_errors``), so pages, API and commands
    refuse the same input with the same message.
    """

    def changed_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


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

        from .security import LOCKED_NOTE, login_blocked

        username = self.cleaned_data.get("username") or ""
        reason = login_blocked(username, client_ip(self.request) if self.request else None)
        if reason:
            record_event(action=AuditEntry.Action.LOGIN_FAILED, username=username, note=LOCKED_NOTE)
            raise ValidationError(reason, code="locked")
        return super().clean()
