"""Jobs registered for the run-machinery tests (importing this module registers them)."""
import logging
import threading
from datetime import timedelta

from connector.errors import ConfigError, RecordError, TransientError
from connector.registry import register_job
from tenants.models import Tenant

log = logging.getLogger("tests.jobs")
seen = []  # (job, tenant slug, dry_run, params) of every call
block = {"started": threading.Event(), "release": threading.Event(), "slug": None}
SECRET = "tok_live_9f8e7d6c5b4a3210"


@register_job("test.ok", interval=timedelta(minutes=5))
def ok_job(ctx):
    seen.append(("test.ok", ctx.tenant.slug, ctx.dry_run, dict(ctx.params)))
    ctx.info("hello", object_type="item", object_id="1", data={"access_token": "abcdefgh12345"})
    ctx.count("created", 2)


@register_job("test.flaky", interval=timedelta(minutes=5))
def flaky_job(ctx):
    raise TransientError("sandbox said 503", retry_after=ctx.params.get("retry_after"))


@register_job("test.config", interval=timedelta(minutes=5))
def config_job(ctx):
    raise ConfigError("Reconnect Lightspeed: access was revoked", pause_tenant=bool(ctx.params.get("all")))


@register_job("test.bug", interval=timedelta(minutes=5))
def bug_job(ctx):
    return 1 / 0


@register_job("test.records", interval=timedelta(minutes=5))
def records_job(ctx):
    for order_id in ["A1", "B2", "C3", "D4"]:
        with ctx.record("order", order_id):
            if order_id == "B2":
                raise RecordError("order B2 has no lines", data={"lines": []})
            if order_id == "C3":
                Tenant.objects.create(slug=ctx.tenant.slug, name="duplicate slug")  # breaks the statement
            ctx.count("imported")


@register_job("test.leaky", interval=timedelta(minutes=5))
def leaky_job(ctx):
    ctx.info(f"calling with {SECRET}", data={"note": f"Bearer {SECRET}", "url": f"https://x/?t={SECRET}"})
    log.warning("refreshing token %s", SECRET)
    raise RuntimeError(f"server rejected {SECRET}")


@register_job("test.block", interval=timedelta(minutes=5))
def blocking_job(ctx):
    if ctx.tenant.slug == block["slug"]:
        block["started"].set()
        block["release"].wait(10)
    ctx.count("done")


@register_job("test.reenter", interval=timedelta(minutes=5))
def reenter_job(ctx):
    """Started with params other=<slug>: tries itself again (refused), then runs for the other tenant."""
    from connector.errors import RunLocked
    from connector.runs import run_job

    if "other" not in ctx.params:
        ctx.count("done")
        return
    try:
        run_job(tenant=ctx.tenant, job="test.reenter")
    except RunLocked as exc:
        ctx.info(f"refused: {exc}")
    other = Tenant.objects.get(slug=ctx.params["other"])
    ctx.info(f"other tenant: {run_job(tenant=other, job='test.reenter').status}")


@register_job("test.fast", interval=timedelta(seconds=20), min_interval=timedelta(seconds=10), queue="orders")
def fast_job(ctx):
    ctx.count("done")


@register_job("test.nightly", interval=timedelta(days=1), at="02:00", tz="Europe/Copenhagen")
def nightly_job(ctx):
    ctx.count("done")


@register_job("test.again", interval=timedelta(minutes=5))
def again_job(ctx):
    """Finds a full page while params pages > 0 (a backlog), and asks to run again."""
    if ctx.params.get("more"):
        ctx.run_again()


@register_job("test.yielding", interval=timedelta(minutes=5), can_yield=True)
def yielding_job(ctx):
    """Processes pages 0..3 from params page; gives its slot back after two when it may."""
    from connector.errors import Yield

    page = int(ctx.params.get("page", 0))
    while page < 4:
        if ctx.yield_after is not None and page == int(ctx.params.get("page", 0)) + 2:
            raise Yield(42, resume={"page": page})
        ctx.count(f"page{page}")
        page += 1


@register_job("test.order", interval=timedelta(seconds=20), min_interval=timedelta(seconds=10), queue="orders")
def order_probe_job(ctx):
    """Stands in for an order import: records when it got a worker slot."""
    seen.append(("test.order", ctx.tenant.slug, ctx.dry_run, dict(ctx.params)))
