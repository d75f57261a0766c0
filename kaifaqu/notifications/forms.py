"""The form a unit's administrator keeps a channel with."""

from __future__ import annotations

from django import forms

from kaifaqu.core.forms import ServiceModelForm

from .models import Channel


class ChannelForm(ServiceModelForm):
    """The key is never sent back to the page: when editing, a blank key keeps the one stored."""

    class Meta:
        model = Channel
        fields = ["kind", "name", "address", "secret", "active"]
        widgets = {"secret": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance if self.instance.pk else None
        self.stored_secret = stored.secret if stored else ""
        # A robot's address carries its key (?key=, ?access_token=): shown without it, kept unless retyped.
        self.stored_address = stored.address if stored and stored.shown_address != stored.address else ""
        self.fields["kind"].choices = [("", "请选择类型"), *Channel.Kind.choices]
        if self.stored_address:
            self.initial["address"] = stored.shown_address
            self.fields[
                "address"
            ].help_text = "地址中的密钥部分已隐藏；不改地址请保持原样，更换机器人请填写完整的新地址"
        if self.stored_secret:
            self.fields["secret"].help_text = "已设置；留空则保留原密钥"
            self.fields["clear_secret"] = forms.BooleanField(label="清除加签密钥", required=False)
            self.style_fields()

    def clean(self):
        data = super().clean()
        # The instance is built from cleaned_data after this: put back what was kept hidden.
        if self.stored_address and data.get("address") == self.instance.shown_address:
            data["address"] = self.stored_address
        if self.stored_secret and not data.get("secret") and not data.get("clear_secret"):
            data["secret"] = self.stored_secret
        return data
