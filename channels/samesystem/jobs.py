"""SameSystem jobs (autodiscovered by connector.registry): the nightly export at 02:00 Copenhagen time
(SameSystem's own import runs at "02.00 AM CET", seed 003), and the historical imports the owner queues."""
from datetime import timedelta

from connector.registry import register_job


@register_job("samesystem.nightly_export", interval=timedelta(days=1), at="02:00", tz="Europe/Copenhagen",
              title="Send yesterday's POS figures to SameSystem")
def nightly_export_job(ctx):
    from .export import nightly_export  # keeps the client out of autodiscovery's import

    nightly_export(ctx=ctx)


@register_job("samesystem.history_import", interval=timedelta(minutes=5), min_interval=timedelta(minutes=1),
              title="Import historical POS figures into SameSystem")
def history_import_job(ctx):
    from .export import history_import

    history_import(ctx=ctx)
