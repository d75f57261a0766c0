"""The admin site writes the same audit trail as the pages and the API (source: 管理后台)."""

from django.contrib import admin

from . import trail


class AuditedAdmin(admin.ModelAdmin):
    """Every save and delete made through this admin, inlines and many-to-many links included."""

    def save_model(self, request, obj, form, change):
        before = trail.stored_snapshot(obj) if change else None
        super().save_model(request, obj, form, change)
        if before is None:
            trail.record_create(user=request.user, instance=obj)
        else:
            trail.record_update(user=request.user, instance=obj, before=before)

    def delete_model(self, request, obj):
        trail.record_delete(user=request.user, instance=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            trail.record_delete(user=request.user, instance=obj)
        super().delete_queryset(request, queryset)

    def save_related(self, request, form, formsets, change):
        links_before = {name: _names(form.instance, name) for name in _m2m_fields(form)} if change else {}
        super().save_related(request, form, formsets, change)
        changes = {}
        for name in _m2m_fields(form):
            old, new = links_before.get(name, ""), _names(form.instance, name)
            if old != new:
                changes[name] = [old or None, new or None]
        if changes:
            trail.record_links(user=request.user, instance=form.instance, changes=changes)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            trail.record_delete(user=request.user, instance=obj)
            obj.delete()
        for obj in instances:
            before = trail.stored_snapshot(obj) if obj.pk else None
            obj.save()
            if before is None:
                trail.record_create(user=request.user, instance=obj)
            else:
                trail.record_update(user=request.user, instance=obj, before=before)
        formset.save_m2m()


def _m2m_fields(form) -> list[str]:
    return [field.name for field in form.instance._meta.many_to_many if field.name in form.changed_data]


def _names(instance, name: str) -> str:
    if instance.pk is None:
        return ""
    return "、".join(sorted(str(related) for related in getattr(instance, name).all()))
