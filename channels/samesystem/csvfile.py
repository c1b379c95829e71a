"""The hourly figures as SameSystem's CSV (helpapp 5025430): one row per department × register × hour of
each day, semicolons, a point as decimal separator everywhere, 0 rather than an empty cell, `Hour` as the
local start of the hour. A department without a department number (dpt_no null) cannot be named in the
file and is left out (the page says so)."""
from .figures import NONE, day_hours, figures_by_hour
from .mapping import csv_render, csv_rows, register_number_of
from .selectors import departments_mapped, register_numbers, sales_of_day, shop_zone


def department_hourly(tenant, department, day, *, vat_included, numbers):
    """{(register number, UTC hour start): Figures} of one department's day; unmapped registers left out."""
    zone = shop_zone(tenant, department.lightspeed_shop_ls_id)
    sales = sales_of_day(tenant, shop_ls_id=department.lightspeed_shop_ls_id, day=day, zone=zone)
    out = {}
    for (register_ls_id, hour), figures in figures_by_hour(sales, day=day, zone=zone,
                                                           vat_included=vat_included).items():
        number = register_number_of(register_ls_id, register_count=department.register_count, numbers=numbers)
        if number is not None:
            out[(number, hour)] = out.get((number, hour), NONE) + figures
    return out, zone


def csv_days(tenant, *, days, vat_included):
    """The CSV text, chunk by chunk, for the mapped departments that have a department number."""
    numbers = register_numbers(tenant)

    def rows():
        for department in departments_mapped(tenant):
            if not department.dpt_no:
                continue
            registers = range(1, max(department.register_count, 1) + 1)
            for day in days:
                hourly, zone = department_hourly(tenant, department, day, vat_included=vat_included, numbers=numbers)
                yield from csv_rows(hourly, dpt_no=department.dpt_no, day=day, zone=zone,
                                    hours=day_hours(day, zone), registers=registers)

    return csv_render(rows())
