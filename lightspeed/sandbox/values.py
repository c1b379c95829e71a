"""Lenient payload value parsing: the API accepts numbers, booleans or their string forms."""
from decimal import Decimal, InvalidOperation

from .envelope import ApiError


def as_int(value, name, default=0):
    if value in (None, ""):
        return default
    try:
        return int(str(value))
    except ValueError:
        raise ApiError(400, f"Invalid value for {name}: '{value}'.") from None


def as_decimal(value, name, default=None):
    if value in (None, ""):
        return default
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ApiError(400, f"Invalid value for {name}: '{value}'.") from None


def as_bool(value, default=False):
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def rows(container, element):
    """`{"SaleLine": x}` or `{"SaleLine": [x, y]}` (also a bare list, as lenient parsers allow) -> list."""
    if container in (None, ""):
        return []
    if isinstance(container, list):
        out = []
        for entry in container:
            out.extend(rows(entry, element) if isinstance(entry, dict) and element in entry else [entry])
        return out
    if not isinstance(container, dict):
        raise ApiError(400, f"Invalid {element} container.")
    inner = container.get(element, [])
    return inner if isinstance(inner, list) else [inner]


def as_dict(value, name):
    if not isinstance(value, dict):
        raise ApiError(400, f"{name} must be an object.")
    return value
