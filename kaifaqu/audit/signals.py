"""Logins, logouts and failed logins go to the audit trail (and feed the login lockout)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .context import audit_source
from .middleware import client_ip, source_of
from .models import AuditEntry
from .trail import record_event


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record_event(action=AuditEntry.Action.LOGIN, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(action=AuditEntry.Action.LOGOUT, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")
    if request is None:
        record_event(action=AuditEntry.Action.LOGIN_FAILED, username=username)
        return
    # DRF's token view authenticates before our middleware context applies to it in
    # some stacks; take the address from the request itself to be sure.
    with audit_source(source_of(request), client_ip(request)):
        record_event(action=AuditEntry.Action.LOGIN_FAILED, username=username)
