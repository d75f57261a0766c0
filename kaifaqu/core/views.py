"""Generic pieces the ledger pages share: a filtered, sorted, paginated list; form helpers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.forms import CheckboxInput, Select
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import TemplateView

from .tables import apply_ordering, header_cells


class FilteredListView(LoginRequiredMixin, TemplateView):
    """A scoped list with a filterset, sortable columns, pagination and an HTMX partial.

    Subclasses declare ``model``, ``filterset_class``, ``columns`` and templates; the
    queryset always starts from ``model.objects.visible_to(user)``.
    """

    model = None
    filterset_class = None
    columns: list = []
    default_ordering: list[str] = ["-pk"]
    partial_template_name = ""
    select_related: tuple[str, ...] = ()

    def base_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related(*self.select_related)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset_class(self.request.GET or None, queryset=self.base_queryset(), request=self.request)
        style_filter_form(filterset.form)
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else self.base_queryset()
        if filterset.is_bound and not filterset.is_valid():
            queryset = queryset.none()
        context.update(self.summarise(queryset))
        ordered, current = apply_ordering(queryset, self.columns, self.request.GET.get("o", ""), self.default_ordering)
        page = self.paginate(ordered, context.get("count"))
        rows = self.decorate(list(page.object_list))
        context.update(
            filterset=filterset,
            page=page,
            rows=rows,
            table_rows=[[(column.render(row), column.css) for column in self.columns] for row in rows],
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            headers=header_cells(self.columns, self.request.GET, current),
            columns=self.columns,
            querystring=self.querystring_without_page(),
        )
        return context

    def summarise(self, queryset) -> dict:
        """Totals for the filtered set; ``count`` is reused by the paginator."""
        return {"count": queryset.count()}

    def decorate(self, rows: list) -> list:
        """A hook to attach per-page data (one query for the page, not one per row)."""
        return rows

    def paginate(self, queryset, count: int | None):
        paginator = Paginator(queryset, settings.KAIFAQU_PAGE_SIZE)
        if count is not None:
            paginator.count = count  # already counted with the totals: spare a query
        return paginator.get_page(self.request.GET.get("page"))

    def querystring_without_page(self) -> str:
        query = self.request.GET.copy()
        query.pop("page", None)
        return query.urlencode()

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted and self.partial_template_name:
            return [self.partial_template_name]
        return super().get_template_names()


def style_filter_form(form) -> None:
    """The filter bar's compact Bootstrap look."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, Select):
            widget.attrs["class"] = "form-select form-select-sm"
        elif not isinstance(widget, CheckboxInput):
            widget.attrs["class"] = "form-control form-control-sm"


def show_edit_conflict(form, conflict) -> None:
    """Someone saved the record after this form was opened: say who changed what, keep the user's
    input, and take the stored version, so that saving again is a deliberate overwrite."""
    form.add_error(None, conflict.message)
    form.data = form.data.copy()
    form.data["version"] = conflict.current_version


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: per field where the form has it."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            if target is None and field != NON_FIELD_ERRORS:
                label = _field_label(form, field)
                message = f"{label}：{message}" if label else message
            form.add_error(target, message)
        if target is not None:  # marked red like the form's own errors (those are marked in full_clean)
            widget = form.fields[target].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


def _field_label(form, field: str) -> str:
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return ""
    try:
        return str(model._meta.get_field(field).verbose_name)
    except Exception:  # a field the model does not have: show the message alone
        return ""


def htmx_redirect(request, url: str):
    """Send the browser to ``url``: via the HX-Redirect header for HTMX requests."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def favicon(request):
    """Browsers and tools ask for /favicon.ico whatever the page says: send them the icon."""
    from django.templatetags.static import static

    return redirect(static("kaifaqu/favicon.svg"))


def not_found(request, exception=None):
    """The 404 page in Chinese; our own refusals say why, Django's English ones are not shown."""
    from django.shortcuts import render

    message = exception.args[0] if exception is not None and exception.args else ""
    said = message if isinstance(message, str) and any("\u4e00" <= char <= "\u9fff" for char in message) else ""
    return render(request, "404.html", {"message": said}, status=404)
