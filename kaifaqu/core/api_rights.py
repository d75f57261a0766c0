"""The REST API asks the same rules as the pages (``core.rights``), before it reads a request's body.

A viewset names its rule (``write_right``) and, when the rule is about another record than the
one addressed (a milestone's project), how to reach it (``write_target``). A user who may not
write is told so with a 403 and the rule's Chinese message, never a 400 about fields first.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from .rights import ensure


class AsksTheRules(IsAuthenticated):
    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        right = getattr(view, "write_right", None)
        if request.method in SAFE_METHODS or right is None or view.kwargs.get("pk") is not None:
            return True  # a record's own write is asked below, once the record is found in scope
        ensure(request.user, right)
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        right = getattr(view, "write_right", None)
        if request.method in SAFE_METHODS or right is None:
            return True
        target = view.write_target(obj) if hasattr(view, "write_target") else obj
        ensure(request.user, right, target)
        return True
