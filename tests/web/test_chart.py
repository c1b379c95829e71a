"""The dashboard chart: runs per local day as bars, records synced as a line, in the tenant's time zone."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from connector.chart import chart_geometry
from connector.dashboard import run_records, runs_daily
from connector.models import SyncRun


def test_bars_and_line_scale_to_the_busiest_day():
    days = [{"day": date(2026, 1, d), "ok": ok, "failed": failed, "records": rec}
            for d, ok, failed, rec in [(1, 0, 0, 0), (2, 3, 1, 50), (3, 8, 0, 180)]]
    chart = chart_geometry(days)
    assert chart["runs_max"] == 10 and chart["records_max"] == 200
    tallest = chart["bars"][2]
    assert tallest["ok_h"] == round((chart["base"] - chart["top"]) * 8 / 10, 1)
    assert chart["bars"][1]["failed_h"] > 0 and chart["bars"][0]["ok_h"] == 0
    assert len(chart["line"].split()) == 3
    assert chart["total_runs"] == 12 and chart["total_failed"] == 1 and chart["total_records"] == 230


def test_records_are_the_written_counts():
    assert run_records({"items.written": 5, "items.read": 9, "requests": 3, "sales_created": 2, "failed": 1}) == 7


def test_runs_are_bucketed_by_the_tenants_local_day(in_tenant):
    tokyo = ZoneInfo("Asia/Tokyo")
    now = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)  # 21:00 in Tokyo
    for hours_ago, status in [(1, "succeeded"), (13, "failed")]:  # 20:00 Mar 10 and 08:00 Mar 10 in Tokyo
        started = now - timedelta(hours=hours_ago)
        SyncRun.objects.create(job="x.y", status=status, started_at=started, heartbeat_at=started,
                               counts={"items.written": 4})
    started = now - timedelta(hours=22)  # 23:00 Mar 9 in Tokyo
    SyncRun.objects.create(job="x.y", status="succeeded", started_at=started, heartbeat_at=started)
    days = {d["day"]: d for d in runs_daily(days=3, tz=tokyo, now=now)}
    assert days[date(2026, 3, 10)] == {"day": date(2026, 3, 10), "ok": 1, "failed": 1, "records": 8}
    assert days[date(2026, 3, 9)]["ok"] == 1
