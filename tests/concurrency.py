"""Runs of jobs at the same moment, each in its own thread (the exactly-once tests' "concurrent runs")."""
import threading

from django.db import connection as db_connection

from connector.errors import RunLocked
from connector.runs import run_job


def runs_together(tenant, clock, jobs, *, timeout=120):
    """Each job run in its own thread, all released at once; their statuses ("locked" for a run the (tenant,
    job) lock refused), in the order they ended."""
    barrier, outcomes = threading.Barrier(len(jobs)), []

    def one_run(job):
        try:
            barrier.wait()
            outcomes.append(run_job(tenant=tenant, job=job, clock=clock).status)
        except RunLocked:
            outcomes.append("locked")
        finally:
            db_connection.close()  # the thread's own connection

    threads = [threading.Thread(target=one_run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
