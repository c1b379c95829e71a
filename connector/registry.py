"""The job registry: a package registers `name -> function` with a default interval.

    @register_job("<channel>.orders_import", interval=timedelta(minutes=1), title="Import the orders")
    def orders_import(ctx): ...

Packages put their jobs in a `jobs.py` module; `autodiscover()` imports them.
"""
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import Callable

from django.apps import apps


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable
    interval: timedelta
    title: str

    @property
    def channel(self):
        return self.name.split(".", 1)[0]


_jobs: dict[str, Job] = {}


class UnknownJob(KeyError):
    pass


def register_job(name, *, interval, title=""):
    def decorator(func):
        _jobs[name] = Job(name=name, func=func, interval=interval, title=title or name)
        return func

    return decorator


def get_job(name) -> Job:
    try:
        return _jobs[name]
    except KeyError:
        raise UnknownJob(f"unknown job {name!r}; known: {', '.join(sorted(_jobs))}") from None


def all_jobs():
    return [_jobs[name] for name in sorted(_jobs)]


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
