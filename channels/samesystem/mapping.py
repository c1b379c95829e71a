"""Pure mapping: Lightspeed registers to SameSystem register numbers, figures to weekly-balance lines,
hourly figures to SameSystem's CSV rows."""
from decimal import Decimal

from .figures import NONE, hour_label

CSV_COLUMNS = ("Department Id", "Register Id", "Date", "Hour", "Net Sales", "Gross Sales", "Discounts", "Returns",
               "Transactions", "Number of goods sold", "Number of returned goods", "Visitors")
CSV_FIGURES = ("net_sales", "gross_sales", "discounts", "returns", "transactions", "goods_sold", "goods_returned",
               "visitors")


def register_number_of(register_ls_id, *, register_count, numbers):
    """The SameSystem register number a Lightspeed register's sales go to, or None (unmapped).

    A department with one register takes every register of its shop as register 1 (no terminal number
    needed); with several, each Lightspeed register needs its number (the seed's "POS terminal number")."""
    if register_count <= 1:
        return 1
    number = numbers.get(register_ls_id)
    return number if number and 1 <= number <= register_count else None


def by_register_number(totals, *, register_count, numbers):
    """({register number: Figures}, {unmapped Lightspeed register: Figures}) from per-register totals.
    Every register number of the department is present (zeros for a register without sales)."""
    mapped = {n: NONE for n in range(1, max(register_count, 1) + 1)}
    unmapped = {}
    for register_ls_id, figures in totals.items():
        number = register_number_of(register_ls_id, register_count=register_count, numbers=numbers)
        if number is None:
            unmapped[register_ls_id] = unmapped.get(register_ls_id, NONE) + figures
        else:
            mapped[number] = mapped[number] + figures
    return mapped, unmapped


def number_value(value):
    """A JSON number in the `%g`-like form the blueprint asks for: 123.12, never a localized string."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def balance_lines(figures, field_map):
    """[{field_id, value}] for the figures mapped to a field; an unmapped figure is not sent."""
    values = figures.as_dict()
    mapped = sorted((int(field_id), figure) for figure, field_id in field_map.items() if field_id and figure in values)
    return [{"field_id": field_id, "value": number_value(values[figure])} for field_id, figure in mapped]


def csv_number(value):
    """One format for every number: a point as decimal separator, two decimals for amounts, no thousands."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(int(value))


def csv_rows(hourly, *, dpt_no, day, zone, hours, registers):
    """The day's rows for one department: every (register number, hour), zeros where nothing was sold.

    `hourly` is {(register number, UTC hour start): Figures}; `hours` the day's UTC hour starts."""
    for number in registers:
        for hour in hours:
            figures = hourly.get((number, hour), NONE).as_dict()
            yield [dpt_no, str(number), day.isoformat(), hour_label(hour, zone),
                   *(csv_number(figures[name]) for name in CSV_FIGURES)]


def csv_render(rows):
    yield ";".join(CSV_COLUMNS) + "\r\n"
    for row in rows:
        yield ";".join(row) + "\r\n"
