"""Turn request args into a Query and run it: filtering, sorting and V3 cursor pagination."""
import bisect
import math
from urllib.parse import urlencode

from .envelope import ApiError, one_or_many
from .query import CONTROL_PARAMS, MAX_LIMIT, Query, decode_cursor, parse_condition, parse_or, parse_relations

UNSUPPORTED = {"offset": "offset is not supported in API V3; use the cursor in @attributes.next.",
               "orderby": "orderby was removed in API V3; use sort.",
               "orderby_desc": "orderby_desc was removed in API V3; use sort=-field."}


def parse_query(resource, args, *, is_list=True):
    query = Query(resource, sort_field=resource.pk)
    query.relations = parse_relations(resource, args.get("load_relations"))
    if not is_list:
        return query
    for name in args:
        if name in UNSUPPORTED:
            raise ApiError(400, UNSUPPORTED[name])
    query.count = args.get("count") in ("1", "true")
    if query.count and any(p in args for p in ("limit", "sort", "after", "before")):
        raise ApiError(400, "count=1 cannot be combined with limit, sort, after or before.")
    query.archived = args.get("archived", "false").lower()
    if query.archived not in ("false", "true", "only"):
        raise ApiError(400, "archived must be one of false, true, only.")
    _parse_sort(query, args.get("sort"))
    _parse_limit(query, args.get("limit"))
    for name, raw in args.items(multi=True):
        if name == "or":
            query.or_groups.append(parse_or(resource, raw, query.relations))
        elif name not in CONTROL_PARAMS:
            query.conditions.append(parse_condition(resource, name, raw, query.relations))
    if args.get("after") and args.get("before"):
        raise ApiError(400, "Use either after or before, not both.")
    expected = 1 if query.sort_field == resource.pk else 2
    if args.get("after"):
        query.after = query.cursor_key(decode_cursor(args["after"], expected))
    if args.get("before"):
        query.before = query.cursor_key(decode_cursor(args["before"], expected))
    return query


def _parse_sort(query, raw):
    if not raw:
        return
    name = raw[1:] if raw.startswith("-") else raw
    if name not in query.resource.sortable:
        raise ApiError(400, f"Cannot sort {query.resource.name} by '{name}'. "
                            f"Allowed sort fields: {', '.join(query.resource.sortable)}")
    query.sort_field, query.descending = name, raw.startswith("-")


def _parse_limit(query, raw):
    if raw is None:
        return
    try:
        query.limit = int(raw)
    except ValueError:
        raise ApiError(400, f"Invalid limit '{raw}'.") from None
    if not 0 <= query.limit <= MAX_LIMIT:
        raise ApiError(400, f"limit must be between 0 and {MAX_LIMIT}.")


def count_rows(query, state):
    table = getattr(state, query.resource.table)
    return sum(1 for record in table.values() if query.matches(record, state))


INDEX_THRESHOLD = 2000  # below this a plain scan is as fast as keeping a sorted index


def select_page(query, state):
    """Rows of one page in sort order, and whether more rows lie beyond it (in the paging direction)."""
    table = getattr(state, query.resource.table)
    backwards = query.before is not None
    descending = query.descending != backwards  # direction we walk from the cursor
    cursor = query.before if backwards else query.after
    if query.sort_field == query.resource.pk:
        keys = table.keys_after(cursor[0] if cursor else None, descending=descending)
    elif len(table) >= INDEX_THRESHOLD:
        keys = _index_walk(query, state, table, cursor, descending)
    else:
        keys = _scan(query, state, table, cursor, descending)
    rows = []
    for pk in keys:
        record = table[pk]
        if query.matches(record, state):
            rows.append(record)
            if len(rows) > query.limit:
                break
    more = len(rows) > query.limit
    rows = rows[:query.limit]
    if backwards:
        rows.reverse()
    return rows, more


def _scan(query, state, table, cursor, descending):
    key = query.sort_key
    entries = sorted((key(r) for r in table.values()), reverse=descending)
    if cursor is not None:
        entries = [e for e in entries if (e < cursor if descending else e > cursor)]
    return (e[-1] for e in entries)


def _index_walk(query, state, table, cursor, descending):
    """Walk a sorted (value, pk) index from the cursor, clipped to any range filter on the sort field."""
    spec, pk_spec = query.resource.fields[query.sort_field], query.resource.fields[query.resource.pk]
    fast = (spec.attr, pk_spec.attr) if spec.kind in ("int", "time") and spec.attr and pk_spec.attr else None
    index = table.sorted_index(query.sort_field, query.sort_key, state.version_of(query.resource.table), fast)
    low, high = 0, len(index)
    for condition in query.conditions:
        if condition.name != query.sort_field or condition.spec.many:
            continue
        op, values = condition.op, condition.values
        if op in (">", ">=", "=", "><"):
            probe = (values[0], math.inf) if op == ">" else (values[0],)
            low = max(low, bisect.bisect_left(index, probe))
        if op in ("<", "<=", "=", "><"):
            bound = values[-1]
            high = min(high, bisect.bisect_left(index, (bound,) if op == "<" else (bound, math.inf)))
    if cursor is not None:
        if descending:
            high = min(high, bisect.bisect_left(index, cursor))
        else:
            low = max(low, bisect.bisect_right(index, cursor))
    positions = range(high - 1, low - 1, -1) if descending else range(low, high)
    return (index[i][-1] for i in positions)


def list_body(query, state, request):
    resource = query.resource
    if query.count:
        return {"@attributes": {"count": str(count_rows(query, state))}}
    rows, more = select_page(query, state)
    backwards = query.before is not None
    has_next = (more and not backwards) or (backwards and bool(rows))
    has_previous = (more and backwards) or (query.after is not None and bool(rows))
    attributes = {
        "next": page_url(request, query, "after", rows[-1]) if has_next else "",
        "previous": page_url(request, query, "before", rows[0]) if has_previous else "",
    }
    body = {"@attributes": attributes}
    if rows:
        body[resource.name] = one_or_many([resource.rendered(state, r, query.relations) for r in rows])
    return body


def page_url(request, query, direction, record):
    params = [(k, v) for k, v in request.args.items(multi=True) if k not in ("after", "before")]
    names = {k for k, _ in params}
    if "sort" not in names:
        params.append(("sort", query.resource.pk))
    if "limit" not in names:
        params.append(("limit", str(MAX_LIMIT)))
    params.append((direction, query.cursor_for(record)))
    return f"{request.base_url}?{urlencode(params)}"
