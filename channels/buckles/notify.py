"""E-mail to a tenant's owners (Buckles does the same for source statuses it does not know)."""
import logging

from django.core.cache import cache
from django.core.mail import send_mail

from tenants.models import Membership

log = logging.getLogger(__name__)
ONCE_PER_SECONDS = 24 * 3600


def owner_emails(tenant):
    rows = Membership.objects.filter(tenant=tenant, role=Membership.Role.OWNER).select_related("user")
    return sorted({m.user.email for m in rows if m.user.email})


def owners_notify_once(*, tenant, key, subject, body):
    """Mail the owners, at most once a day per `key`; True when a mail went out."""
    try:
        if not cache.add(f"buckles:notified:{tenant.pk}:{key}", 1, ONCE_PER_SECONDS):
            return False
    except Exception:  # noqa: BLE001  without the cache, mail (better twice than never)
        pass
    recipients = owner_emails(tenant)
    if not recipients:
        return False
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # noqa: BLE001  the sync goes on; the event log has the same message
        log.exception("buckles: mail to the owners of %s failed", tenant.slug)
        return False
    return True
