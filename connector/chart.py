"""Geometry for the server-rendered SVG chart of runs (bars) and synced records (line) per day."""
WIDTH, HEIGHT = 640, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 48, 12, 28


def _nice_max(value):
    """The smallest 1, 2 or 5 × 10^n at or above `value` (a readable axis top)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)


def chart_geometry(days):
    """`days`: [{"day", "ok", "failed", "records"}] → bars, line points and axis labels in SVG units."""
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    runs_max = _nice_max(max((d["ok"] + d["failed"] for d in days), default=0))
    records_max = _nice_max(max((d["records"] for d in days), default=0))
    slot = plot_w / max(len(days), 1)
    bar_w = max(slot * 0.6, 2)
    bars, points, labels = [], [], []
    base_y = PAD_TOP + plot_h
    for i, d in enumerate(days):
        x = PAD_LEFT + i * slot + (slot - bar_w) / 2
        ok_h = plot_h * d["ok"] / runs_max
        failed_h = plot_h * d["failed"] / runs_max
        bars.append({
            "x": round(x, 1), "w": round(bar_w, 1),
            "ok_y": round(base_y - ok_h, 1), "ok_h": round(ok_h, 1),
            "failed_y": round(base_y - ok_h - failed_h, 1), "failed_h": round(failed_h, 1),
            "title": f'{d["day"]:%b %d}: {d["ok"]} ok, {d["failed"]} failed, {d["records"]} records',
        })
        cx = PAD_LEFT + i * slot + slot / 2
        points.append(f"{cx:.1f},{base_y - plot_h * d['records'] / records_max:.1f}")
        if len(days) <= 7 or i % 2 == (len(days) - 1) % 2:
            labels.append({"x": round(cx, 1), "text": f'{d["day"]:%d %b}'})
    return {
        "width": WIDTH, "height": HEIGHT, "left": PAD_LEFT, "right": WIDTH - PAD_RIGHT, "top": PAD_TOP,
        "base": base_y, "label_y": HEIGHT - 8, "bars": bars, "line": " ".join(points), "labels": labels,
        "runs_max": runs_max, "records_max": records_max,
        "total_runs": sum(d["ok"] + d["failed"] for d in days),
        "total_failed": sum(d["failed"] for d in days), "total_records": sum(d["records"] for d in days),
    }
