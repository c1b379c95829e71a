"""What the owner sees about Miinto's fetches of the feed: when, with what answer (e.g. 401 = wrong password)."""
from django.core.cache import cache
from django.utils import timezone

KEEP_SECONDS = 30 * 24 * 3600


def _key(tenant):
    return f"miinto:feed:last_fetch:{tenant.pk}"


def feed_fetch_note(*, tenant, status, user_agent="", gzip=False):
    """Remember the latest fetch (cache, best effort: a cache outage never fails the feed)."""
    note = {"at": timezone.now().isoformat(), "status": status, "user_agent": user_agent[:200], "gzip": gzip}
    try:
        cache.set(_key(tenant), note, KEEP_SECONDS)
    except Exception:  # noqa: BLE001  the feed matters more than its statistics
        pass


def feed_last_fetch(*, tenant):
    """{"at": iso time, "status": 200|304|401, "user_agent", "gzip"} of the latest fetch, or None."""
    try:
        return cache.get(_key(tenant))
    except Exception:  # noqa: BLE001
        return None
