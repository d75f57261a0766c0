"""Operators read the delivery log here. Channels are kept on each unit's own page, where their rules hold
(the vendor's host over https, the key never shown again), not here."""

from django.contrib import admin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["subject", "channel", "recipient", "status", "attempts", "updated_at"]
    list_filter = ["status", "channel"]
    search_fields = ["subject", "recipient", "key"]
