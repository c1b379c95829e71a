"""The CSV intake's validation, by SameSystem's CSV guidelines (helpapp 5025430, FACT): semicolons, one
consistent number format in the whole file, no empty cells (0, not null), `Hour` as hh:mm:ss for the hour
starting then, `Department Id` a known department number. Which hours exist comes from the department's
time zone (INFERENCE): the spring-forward day has no 02:00, the fall-back day has it twice."""
import csv
import io
import re
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

COLUMNS = ("Department Id", "Register Id", "Date", "Hour", "Net Sales", "Gross Sales", "Discounts", "Returns",
           "Transactions", "Number of goods sold", "Number of returned goods", "Visitors")
NUMBER_COLUMNS = COLUMNS[4:]
FORMATS = {  # name -> a number in that format
    "point": re.compile(r"^-?\d+(\.\d+)?$"),
    "comma": re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$"),
}
HOUR = re.compile(r"^([01]\d|2[0-3]):00:00$")


def local_hours(day, zone):
    """{"hh:00:00": how many times that hour occurs on `day` in `zone`} (2 on the fall-back day)."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz).astimezone(ZoneInfo("UTC"))
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz).astimezone(ZoneInfo("UTC"))
    hours = Counter()
    moment = start
    while moment < end:
        hours[moment.astimezone(tz).strftime("%H:00:00")] += 1
        moment += timedelta(hours=1)
    return hours


def number_format(value):
    """"point", "comma", "either" (an integer) or None (not a number)."""
    point, comma = (bool(FORMATS[name].match(value)) for name in ("point", "comma"))
    if point and comma:
        return "either"
    return "point" if point else "comma" if comma else None


def csv_parse(text, *, known_departments, time_zone):
    """(accepted rows, [{"row": n, "error": text}]); a row with any problem is rejected, the others kept."""
    lines = text.splitlines()
    if not lines or ";" not in lines[0]:
        return [], [{"row": 1, "error": "The file must be separated by semicolons (;), with a header row"}]
    header = next(csv.reader([lines[0]], delimiter=";"))
    if tuple(h.strip() for h in header) != COLUMNS:
        return [], [{"row": 1, "error": f"Header must be: {';'.join(COLUMNS)}"}]
    file_format, rows, errors, seen = None, [], [], Counter()
    for number, cells in enumerate(csv.reader(io.StringIO("\n".join(lines[1:])), delimiter=";"), start=2):
        if not cells:
            continue
        problem, file_format = _row_problem(cells, known_departments, file_format)
        row = dict(zip(COLUMNS, (c.strip() for c in cells)))
        if problem is None:
            problem = _hour_problem(row, seen, time_zone)
        if problem:
            errors.append({"row": number, "error": problem})
        else:
            rows.append(row)
    return rows, errors


def _row_problem(cells, known_departments, file_format):
    if len(cells) != len(COLUMNS):
        return f"{len(cells)} cells; every row has {len(COLUMNS)} separated by semicolons", file_format
    row = dict(zip(COLUMNS, (c.strip() for c in cells)))
    empty = [name for name, value in row.items() if value == ""]
    if empty:
        return f"Empty cell in {', '.join(empty)} (send 0, never an empty value)", file_format
    department = known_departments.get(row["Department Id"])
    if department is None:
        return f"Unknown Department Id {row['Department Id']!r}", file_format
    if not row["Register Id"].isdigit() or not 1 <= int(row["Register Id"]) <= department["register_count"]:
        return f"Register Id {row['Register Id']!r} is not a register of department {row['Department Id']}", file_format
    try:
        date.fromisoformat(row["Date"])
    except ValueError:
        return f"Date {row['Date']!r} is not YYYY-MM-DD", file_format
    if not HOUR.match(row["Hour"]):
        return f"Hour {row['Hour']!r} is not the start of an hour as hh:00:00", file_format
    for name in NUMBER_COLUMNS:
        kind = number_format(row[name])
        if kind is None:
            return f"{name} {row[name]!r} is not a number", file_format
        if kind != "either":
            if file_format and kind != file_format:
                return f"{name} {row[name]!r}: numbers must use one format in the whole file", file_format
            file_format = kind
    return None, file_format


def _hour_problem(row, seen, time_zone):
    key = (row["Department Id"], row["Register Id"], row["Date"], row["Hour"])
    seen[key] += 1
    allowed = local_hours(date.fromisoformat(row["Date"]), time_zone).get(row["Hour"], 0)
    if allowed == 0:
        return f"Hour {row['Hour']} does not exist on {row['Date']} in {time_zone} (clocks go forward)"
    if seen[key] > allowed:
        return f"Hour {row['Hour']} of {row['Date']} appears {seen[key]} times for register {row['Register Id']}"
    return None
