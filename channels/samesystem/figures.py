"""The eight POS figures, from Lightspeed sale lines, per register and hour in the shop's time zone. Pure.

Definitions (docs/samesystem.md has the worked example). Only completed sales that are not voided count.
A sold line has a positive quantity, a refund line a negative one (a sale may carry both: an exchange).

- gross sales: sold lines before discounts: subtotal + line discount (VAT excluded), or total + that
  discount with the line's VAT (VAT included);
- discounts: the sold lines' discounts (with the line's VAT when VAT is included);
- returns: the value of the refund lines, as a positive amount: −subtotal (or −total with VAT);
- net sales = gross − discounts − returns;
- transactions: completed receipts (each counted sale with a line, a refund receipt too);
- goods sold: Σ quantity of sold lines; goods returned: Σ |quantity| of refund lines;
- visitors: 0 (no counter source is connected).

Hours: a sale counts in the local hour of its completion time. A day's hours run from local midnight to
the next, so the fall-back day has 25 (02:00 twice) and the spring-forward day 23 (no 02:00); an hour is
keyed by its UTC start, which tells the two 02:00s apart.
"""
from dataclasses import dataclass, fields
from datetime import datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

CENT = Decimal("0.01")
ZERO = Decimal("0")
UTC = timezone.utc


@dataclass(frozen=True)
class Line:
    quantity: int
    subtotal: Decimal  # after the line discount, before VAT (calcSubtotal)
    discount: Decimal  # calcLineDiscount, before VAT
    tax: Decimal = ZERO
    total: Decimal = ZERO  # subtotal + tax (calcTotal)


@dataclass(frozen=True)
class SaleFacts:
    register_ls_id: int
    complete_time: datetime | None
    lines: tuple
    completed: bool = True
    voided: bool = False

    @property
    def counts(self):
        return self.completed and not self.voided and self.complete_time is not None


@dataclass(frozen=True)
class Figures:
    gross_sales: Decimal = ZERO
    net_sales: Decimal = ZERO
    discounts: Decimal = ZERO
    returns: Decimal = ZERO
    transactions: int = 0
    goods_sold: int = 0
    goods_returned: int = 0
    visitors: int = 0

    def __add__(self, other):
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def as_dict(self):
        return {f.name: getattr(self, f.name) for f in fields(self)}


NONE = Figures()


def cents(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_figures(line, *, vat_included):
    if line.quantity > 0:
        discount = line.discount
        if vat_included and line.subtotal:
            discount = cents(line.discount * line.total / line.subtotal)  # the line's VAT rate on the discount
        base = line.total if vat_included else line.subtotal
        gross = base + discount
        return Figures(gross_sales=gross, discounts=discount, net_sales=gross - discount, goods_sold=line.quantity)
    if line.quantity < 0:
        value = -(line.total if vat_included else line.subtotal)
        return Figures(returns=value, net_sales=-value, goods_returned=-line.quantity)
    return NONE


def sale_figures(sale, *, vat_included):
    """The sale's figures (NONE when it does not count)."""
    if not sale.counts:
        return NONE
    total = sum((line_figures(line, vat_included=vat_included) for line in sale.lines), NONE)
    receipts = 1 if any(line.quantity for line in sale.lines) else 0
    return total + Figures(transactions=receipts)


def day_bounds(day, zone):
    """[local midnight, next local midnight) of `day` in `zone`, as aware UTC."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    start = datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    return start, end


def day_hours(day, zone):
    """The UTC start of each local hour of `day`: 24, or 25 / 23 on the DST days."""
    start, end = day_bounds(day, zone)
    count = int((end - start).total_seconds() // 3600)
    return [start + timedelta(hours=n) for n in range(count)]


def hour_of(moment, zone):
    """The UTC start of the local hour `moment` falls in."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    local = moment.astimezone(tz)
    return local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)


def hour_label(hour_start, zone):
    """`hh:mm:ss` of the hour's local start, as SameSystem's CSV wants it (10:00:00 = 10:00:00–10:59:59)."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return hour_start.astimezone(tz).strftime("%H:%M:%S")


def figures_by_hour(sales, *, day, zone, vat_included):
    """{(register_ls_id, UTC hour start): Figures} for the counted sales completed on `day` (local)."""
    start, end = day_bounds(day, zone)
    out = {}
    for sale in sales:
        if not sale.counts or not start <= sale.complete_time < end:
            continue
        key = (sale.register_ls_id, hour_of(sale.complete_time, zone))
        out[key] = out.get(key, NONE) + sale_figures(sale, vat_included=vat_included)
    return out


def day_totals(hourly):
    """{register_ls_id: Figures} summed over the hours."""
    out = {}
    for (register, _hour), figures in hourly.items():
        out[register] = out.get(register, NONE) + figures
    return out
