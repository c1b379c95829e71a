"""Query parameters: operators, `or`, `archived`, sort allow-lists, `load_relations`, cursors, `count`."""
import base64
import binascii
import calendar
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .envelope import ApiError, fmt_time

OPERATORS = ("><", ">=", "<=", "!=", "!~", ">", "<", "=", "~", "IN")
RANGE_OPERATORS = {"><", ">=", "<=", ">", "<"}
CONTROL_PARAMS = {"limit", "sort", "after", "before", "count", "load_relations", "archived", "or", "pretty_print"}
MAX_LIMIT = 100
TIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$")


def parse_time(raw):
    match = TIME_RE.match(raw.strip())
    if not match:
        raise ApiError(400, f"Invalid date/time value '{raw}'. Use YYYY-MM-DDTHH:MM:SS with an optional offset "
                            "(a '+' in the offset must be URL-encoded as %2B).")
    y, mo, d, h, mi, s, offset = match.groups()
    epoch = calendar.timegm((int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0)))
    if offset and offset != "Z":
        digits = offset[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
        epoch -= minutes * 60 if offset[0] == "+" else -minutes * 60
    return epoch


def coerce(kind, raw):
    try:
        if kind == "int":
            return int(raw)
        if kind == "decimal":
            return Decimal(raw)
        if kind == "time":
            return parse_time(raw)
        if kind == "bool":
            return {"true": True, "1": True, "false": False, "0": False}[raw.strip().lower()]
    except (ValueError, KeyError, InvalidOperation):
        raise ApiError(400, f"Invalid value '{raw}' for a {kind} field.") from None
    return raw.casefold()


def _like(pattern):
    parts = (re.escape(p) for p in pattern.casefold().split("%"))
    return re.compile(".*".join(parts), re.DOTALL)


@dataclass
class Condition:
    name: str
    spec: object
    op: str
    values: list

    def matches(self, record, state):
        value = self.spec.get(record, state)
        values = value if self.spec.many else (value,)
        return any(self._test(v) for v in values)

    def _test(self, value):
        if value is None:
            return self.op in ("!=", "!~")
        if self.spec.kind == "str":
            value = value.casefold()
        op, vals = self.op, self.values
        if op == "=":
            return value == vals[0]
        if op == "!=":
            return value != vals[0]
        if op == ">":
            return value > vals[0]
        if op == ">=":
            return value >= vals[0]
        if op == "<":
            return value < vals[0]
        if op == "<=":
            return value <= vals[0]
        if op == "><":
            return vals[0] <= value <= vals[1]
        if op == "IN":
            return value in vals[0]
        matched = vals[0].fullmatch(value if isinstance(value, str) else str(value)) is not None
        return matched if op == "~" else not matched


def parse_condition(resource, name, raw, relations):
    spec = resource.fields.get(name)
    if spec is None:
        raise ApiError(400, f"Invalid field '{name}' for {resource.name}.")
    if spec.requires and spec.requires not in relations:
        raise ApiError(400, f"Filtering on '{name}' requires load_relations to include \"{spec.requires}\".")
    head, sep, rest = raw.partition(",")
    op, value = (head, rest) if sep and head in OPERATORS else ("=", raw)
    if op == "><":
        low, _, high = value.partition(",")
        return Condition(name, spec, op, [coerce(spec.kind, low), coerce(spec.kind, high)])
    if op == "IN":
        return Condition(name, spec, op, [set(coerce(spec.kind, str(v)) for v in _in_values(value))])
    if op in ("~", "!~"):
        return Condition(name, spec, op, [_like(value)])
    return Condition(name, spec, op, [coerce(spec.kind, value)])


def _in_values(value):
    try:
        values = json.loads(value)
    except ValueError:
        values = value.strip("[]").split(",")
    if not isinstance(values, list) or len(values) > 100:
        raise ApiError(400, "IN takes a JSON array of at most 100 values.")
    return [("true" if v else "false") if isinstance(v, bool) else v for v in values]


def parse_or(resource, raw, relations):
    conditions = []
    for part in raw.split("|"):
        name, sep, value = part.partition("=")
        if not sep:
            raise ApiError(400, f"Invalid or= operand '{part}'; expected field%3Dvalue.")
        conditions.append(parse_condition(resource, name, value, relations))
    return conditions


def or_cost(conditions):
    """+0 when all operands use one field; +1 per operand within one entity with at most one range
    operator; otherwise +10 per entity involved and +1 per extra operand (inferred reading)."""
    fields = {c.name for c in conditions}
    if len(fields) <= 1:
        return 0.0
    entities = {c.name.split(".")[0] if "." in c.name else "" for c in conditions}
    ranges = sum(1 for c in conditions if c.op in RANGE_OPERATORS)
    if len(entities) == 1 and ranges <= 1:
        return float(len(conditions))
    return 10.0 * len(entities) + (len(conditions) - 1)


def parse_relations(resource, raw):
    if raw is None or raw == "":
        return set()
    if raw == "all":
        return {name for name in resource.relations if not name.startswith("CustomFieldValues")}
    try:
        names = json.loads(raw)
    except ValueError:
        names = None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ApiError(400, "load_relations must be a JSON array of relation names, e.g. [\"ItemShops\"], or all.")
    unknown = [n for n in names if n not in resource.relations]
    if unknown:
        raise ApiError(400, f"Invalid relation '{unknown[0]}' for {resource.name}. "
                            f"Valid relations: {', '.join(resource.relations)}")
    return set(names)


def encode_cursor(values):
    return base64.b64encode(json.dumps(values, separators=(",", ":")).encode()).decode()


def decode_cursor(raw, expected_len):
    try:
        padded = raw + "=" * (-len(raw) % 4)
        values = json.loads(base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True))
    except (ValueError, binascii.Error):
        values = None
    if not isinstance(values, list) or len(values) != expected_len:
        raise ApiError(400, "Invalid pagination cursor.")
    return values


@dataclass
class Query:
    resource: object
    conditions: list = field(default_factory=list)
    or_groups: list = field(default_factory=list)
    archived: str = "false"
    sort_field: str = ""
    descending: bool = False
    limit: int = MAX_LIMIT
    after: list | None = None
    before: list | None = None
    count: bool = False
    relations: set = field(default_factory=set)

    def matches(self, record, state):
        if self.resource.archivable and self.archived != "true":
            if record.archived != (self.archived == "only"):
                return False
        for condition in self.conditions:
            if not condition.matches(record, state):
                return False
        return all(any(c.matches(record, state) for c in group) for group in self.or_groups)

    def sort_key(self, record):
        pk = self.resource.pk_of(record)
        if self.sort_field == self.resource.pk:
            return (pk,)
        spec = self.resource.fields[self.sort_field]
        value = spec.get(record, None)
        if value is None:
            value = "" if spec.kind == "str" else 0
        return (value.casefold() if spec.kind == "str" else value, pk)

    def cursor_for(self, record):
        pk = self.resource.pk_of(record)
        if self.sort_field == self.resource.pk:
            return encode_cursor([pk])
        spec = self.resource.fields[self.sort_field]
        value = spec.get(record, None)
        if spec.kind == "time" and value is not None:
            value = fmt_time(value)
        return encode_cursor([value, pk])

    def cursor_key(self, values):
        if self.sort_field == self.resource.pk:
            return (int(values[0]),)
        spec = self.resource.fields[self.sort_field]
        value = values[0]
        if value is None:
            value = "" if spec.kind == "str" else 0
        elif spec.kind == "time":
            value = parse_time(str(value))
        elif spec.kind == "str":
            value = str(value).casefold()
        return (value, int(values[1]))
