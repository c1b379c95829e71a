"""The job registry: a package registers `name -> function` with a default interval.

    @register_job("<channel>.orders_import", interval=timedelta(seconds=20), min_interval=timedelta(seconds=10),
                  queue="orders", title="Import the orders")
    def orders_import(ctx): ...

    @register_job("samesystem.export", interval=timedelta(days=1), at="02:00", tz="Europe/Copenhagen")

`queue` is the Celery queue its runs go to (QUEUES); `at`/`tz` make it a wall-clock job, due
every day at that local time (`interval` is then only the owner-facing default). `can_yield`:
the job saves its cursor when the rate limiter raises `Yield` (connector.errors), so the run
may give its worker slot back and resume later. `follows`: names of jobs after whose runs this one
runs at once when they found changes (`ctx.found_changes()`), for tenants that have it scheduled;
its own `interval` is then only the fallback (e.g. for retries):

    @register_job("<channel>.status_sync", interval=timedelta(minutes=5), follows=("lightspeed.sales_sync",))

Packages put their jobs in a `jobs.py` module; `autodiscover()` imports them.
"""
from dataclasses import dataclass
from datetime import time, timedelta
from importlib import import_module
from typing import Callable
from zoneinfo import ZoneInfo

from django.apps import apps


TICK_QUEUE = "tick"
QUEUES = ("orders", "bulk")  # latency-critical jobs (orders, status, webhooks) and bulk syncs
DEFAULT_QUEUE = "bulk"
DEFAULT_MIN_INTERVAL = timedelta(seconds=60)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable
    interval: timedelta
    title: str
    min_interval: timedelta = DEFAULT_MIN_INTERVAL
    queue: str = DEFAULT_QUEUE
    at: time | None = None
    tz: str = "UTC"
    can_yield: bool = False
    follows: tuple = ()

    @property
    def is_wall_clock(self):
        return self.at is not None

    @property
    def channel(self):
        return self.name.split(".", 1)[0]


_jobs: dict[str, Job] = {}


class UnknownJob(KeyError):
    pass


def register_job(name, *, interval, title="", min_interval=None, queue=DEFAULT_QUEUE, at=None, tz="UTC",
                 can_yield=False, follows=()):
    if queue not in QUEUES:
        raise ValueError(f"{name}: queue {queue!r} is not one of {QUEUES}")
    min_interval = min_interval or min(interval, DEFAULT_MIN_INTERVAL)
    if interval < min_interval:
        raise ValueError(f"{name}: interval {interval} is below its minimum {min_interval}")
    at_time = time.fromisoformat(at) if isinstance(at, str) else at
    if at_time is not None:
        ZoneInfo(tz)  # an unknown zone fails at import, not at the first tick

    def decorator(func):
        _jobs[name] = Job(name=name, func=func, interval=interval, title=title or name, min_interval=min_interval,
                          queue=queue, at=at_time, tz=tz, can_yield=can_yield, follows=tuple(follows))
        return func

    return decorator


def get_job(name) -> Job:
    try:
        return _jobs[name]
    except KeyError:
        raise UnknownJob(f"unknown job {name!r}; known: {', '.join(sorted(_jobs))}") from None


def all_jobs():
    return [_jobs[name] for name in sorted(_jobs)]


def wall_clock_jobs():
    return [job for job in all_jobs() if job.is_wall_clock]


def followers_of(name):
    """Names of the jobs that follow `name`."""
    return [job.name for job in all_jobs() if name in job.follows]


def jobs_of(channel):
    return [job for job in all_jobs() if job.channel == channel]


def autodiscover():
    for config in apps.get_app_configs():
        try:
            import_module(f"{config.name}.jobs")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.jobs":
                raise


DEFAULT_INTERVAL = timedelta(minutes=15)
