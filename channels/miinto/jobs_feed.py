"""Job `miinto.feed_check`: build the feed from the mirror as Miinto would fetch it, and log what was left out."""
from collections import Counter
from datetime import timedelta

from connector.registry import register_job
from lightspeed.models import Item

from .feed import feed_header, feed_render_tsv, feed_scan
from .settings_services import miinto_settings_get_or_create

EVENTS_PER_KIND = 200  # past this, one summary per kind instead of one event per item


@register_job("miinto.feed_check", interval=timedelta(minutes=30), title="Check the Miinto product feed")
def feed_check(ctx):
    settings = miinto_settings_get_or_create(tenant=ctx.tenant)
    problems = Counter()

    def report(problem):
        problems[problem.kind] += 1
        ctx.count(problem.kind)
        if problems[problem.kind] <= EVENTS_PER_KIND:
            ctx.warning(problem.message, object_type="item", object_id=problem.item_ls_id,
                        data={"kind": problem.kind, "gtin": problem.gtin})

    header = feed_header(extra_columns=settings.feed_extra_columns, currency=settings.feed_currency)
    rows = feed_scan(tenant=ctx.tenant, settings=settings, on_problem=report)
    size = sum(len(chunk) for chunk in feed_render_tsv(_with_header(header, rows, ctx)))
    for kind, n in problems.items():
        if n > EVENTS_PER_KIND:
            ctx.warning(f"{n} items left out of the feed for {kind.replace('_', ' ')}; the first {EVENTS_PER_KIND} are listed")
    archived = Item.objects.for_tenant(ctx.tenant).filter(archived=True).count()
    if archived:
        ctx.count("archived", archived)
        ctx.info(f"{archived} archived items are left out of the feed")
    ctx.info(f"feed has {ctx.counts['rows']} rows ({size} bytes); {sum(problems.values())} items left out",
             data={"rows": ctx.counts["rows"], "bytes": size, "left_out": dict(problems)})


def _with_header(header, rows, ctx):
    yield header
    for row in rows:
        ctx.count("rows")
        yield row
