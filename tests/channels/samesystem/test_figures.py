"""The figures as pure functions: the worked example of docs/samesystem.md, voids, hour buckets at midnight
and across both DST days in Copenhagen, and properties over random sales (hypothesis)."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from channels.samesystem.figures import (NONE, Figures, Line, SaleFacts, day_hours, day_totals, figures_by_hour,
                                         hour_label, sale_figures)

CPH = ZoneInfo("Europe/Copenhagen")
D = Decimal


def line(quantity, unit_price, discount="0", rate="0.25"):
    subtotal = D(unit_price) * quantity - D(discount)
    tax = (subtotal * D(rate)).quantize(D("0.01"))
    return Line(quantity=quantity, subtotal=subtotal, discount=D(discount), tax=tax, total=subtotal + tax)


def sale(at, *lines, register=1, **kwargs):
    return SaleFacts(register_ls_id=register, complete_time=at, lines=tuple(lines), **kwargs)


EXAMPLE = [sale(datetime(2026, 6, 1, 10, 15, tzinfo=CPH), line(2, "100", "20")),
           sale(datetime(2026, 6, 1, 16, 5, tzinfo=CPH), line(-1, "50"))]


def test_worked_example_without_vat():
    total = sum((sale_figures(s, vat_included=False) for s in EXAMPLE), NONE)
    assert total == Figures(gross_sales=D("200"), discounts=D("20"), returns=D("50"), net_sales=D("130"),
                            transactions=2, goods_sold=2, goods_returned=1)


def test_worked_example_with_vat():
    total = sum((sale_figures(s, vat_included=True) for s in EXAMPLE), NONE)
    assert (total.gross_sales, total.discounts, total.returns, total.net_sales) == (
        D("250.00"), D("25.00"), D("62.50"), D("162.50"))


def test_voided_and_unfinished_sales_never_count():
    at = datetime(2026, 6, 1, 12, tzinfo=CPH)
    assert sale_figures(sale(at, line(1, "10"), voided=True), vat_included=False) == NONE
    assert sale_figures(sale(at, line(1, "10"), completed=False), vat_included=False) == NONE
    assert figures_by_hour([sale(at, line(1, "10"), voided=True)], day=at.date(), zone=CPH, vat_included=False) == {}


def test_an_exchange_counts_one_receipt_with_a_sold_and_a_returned_line():
    figures = sale_figures(sale(datetime(2026, 6, 1, 12, tzinfo=CPH), line(1, "80"), line(-1, "60")),
                           vat_included=False)
    assert (figures.gross_sales, figures.returns, figures.net_sales, figures.transactions) == (D("80"), D("60"),
                                                                                             D("20"), 1)
    assert (figures.goods_sold, figures.goods_returned) == (1, 1)


def test_a_normal_day_has_24_hours_and_the_dst_days_have_their_real_hours():
    assert len(day_hours(date(2026, 6, 1), CPH)) == 24
    october = [hour_label(h, CPH) for h in day_hours(date(2026, 10, 25), CPH)]
    march = [hour_label(h, CPH) for h in day_hours(date(2026, 3, 29), CPH)]
    assert len(october) == 25 and october.count("02:00:00") == 2 and october[:4] == [
        "00:00:00", "01:00:00", "02:00:00", "02:00:00"]
    assert len(march) == 23 and "02:00:00" not in march and march[:3] == ["00:00:00", "01:00:00", "03:00:00"]


def test_the_two_0230s_of_the_fall_back_night_are_two_hours():
    summer = datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)  # 02:30 CEST
    winter = datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc)  # 02:30 CET
    hourly = figures_by_hour([sale(summer, line(1, "10")), sale(winter, line(1, "30"))], day=date(2026, 10, 25),
                             zone=CPH, vat_included=False)
    assert sorted(f.gross_sales for f in hourly.values()) == [D("10"), D("30")]
    assert [hour_label(h, CPH) for _, h in sorted(hourly)] == ["02:00:00", "02:00:00"]


def test_a_sale_at_2359_belongs_to_its_day_and_one_at_midnight_to_the_next():
    late = sale(datetime(2026, 6, 1, 23, 59, 59, tzinfo=CPH), line(1, "10"))
    midnight = sale(datetime(2026, 6, 2, 0, 0, tzinfo=CPH), line(1, "20"))
    first = figures_by_hour([late, midnight], day=date(2026, 6, 1), zone=CPH, vat_included=False)
    second = figures_by_hour([late, midnight], day=date(2026, 6, 2), zone=CPH, vat_included=False)
    assert [(hour_label(h, CPH), f.gross_sales) for (_, h), f in first.items()] == [("23:00:00", D("10"))]
    assert [(hour_label(h, CPH), f.gross_sales) for (_, h), f in second.items()] == [("00:00:00", D("20"))]


amounts = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)
lines = st.builds(lambda q, p, share, rate: line(q, p, (D(p) * abs(q) * share).quantize(D("0.01")) if q > 0 else "0",
                                                 rate),
                  st.integers(min_value=-5, max_value=5).filter(bool), amounts,
                  st.sampled_from([D("0"), D("0.1"), D("0.5")]), st.sampled_from(["0", "0.25", "0.12"]))
moments = st.datetimes(min_value=datetime(2026, 10, 24, 20), max_value=datetime(2026, 10, 26, 3),
                       timezones=st.just(timezone.utc))
sales_strategy = st.lists(st.builds(lambda at, ls, reg, void: sale(at, *ls, register=reg, voided=void), moments,
                                    st.lists(lines, min_size=1, max_size=4), st.integers(1, 3), st.booleans()),
                          max_size=25)


@settings(max_examples=150, deadline=None)
@given(sales_strategy, st.booleans())
def test_hours_add_up_to_the_counted_sales_and_net_is_gross_less_discounts_and_returns(sales, vat_included):
    day = date(2026, 10, 25)
    hourly = figures_by_hour(sales, day=day, zone=CPH, vat_included=vat_included)
    start, end = day_hours(day, CPH)[0], day_hours(day, CPH)[-1] + timedelta(hours=1)
    counted = [s for s in sales if not s.voided and start <= s.complete_time < end]
    expected = sum((sale_figures(s, vat_included=vat_included) for s in counted), NONE)
    assert sum(day_totals(hourly).values(), NONE) == expected
    assert {h for _, h in hourly} <= set(day_hours(day, CPH))
    for figures in hourly.values():
        assert figures.net_sales == figures.gross_sales - figures.discounts - figures.returns
        assert figures.discounts >= 0 and figures.returns >= 0 and figures.goods_sold >= 0
    assert expected.transactions == len(counted)
