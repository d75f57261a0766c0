from django.contrib import admin

from kaifaqu.audit.admin_mixins import AuditedAdmin

from .models import Channel, Delivery


@admin.register(Channel)
class ChannelAdmin(AuditedAdmin):
    list_display = ["name", "kind", "unit", "active"]
    list_filter = ["kind", "active"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["subject", "channel", "recipient", "status", "attempts", "updated_at"]
    list_filter = ["status", "channel"]
    search_fields = ["subject", "recipient", "key"]
