"""The R-Series JSON envelope and its type quirks.

Every scalar is a string, "0" means "no link", a relation or list holding one row is a bare
object (top level and nested), an empty relation is "", timestamps are UTC `+00:00` without
fractions, and errors are `{httpCode, httpMessage, message, errorClass}` with string values.
"""
import json
from datetime import datetime, timezone
from decimal import Decimal
from http import HTTPStatus

from werkzeug.wrappers import Response


def fmt_time(epoch):
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def fmt_decimal(value):
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if number == number.to_integral_value():
        return str(int(number))
    text = str(number)
    if "E" in text:
        text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def scalar(value):
    kind = type(value)
    if kind is str:
        return value
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if kind is Decimal or kind is float:
        return fmt_decimal(value)
    raise TypeError(f"not a scalar: {value!r}")


def stringify(node):
    """Turn a rendered record (nested dicts/lists of Python values) into the all-strings form."""
    kind = type(node)
    if kind is dict:
        return {key: stringify(value) for key, value in node.items()}
    if kind is list:
        return [stringify(value) for value in node]
    return scalar(node)


def one_or_many(rows):
    """The list quirk: [] -> "", [x] -> x, [x, y] -> [x, y]."""
    if not rows:
        return ""
    return rows[0] if len(rows) == 1 else rows


def relation(container_name, element_name, rows):
    """`"SaleLines": {"SaleLine": ...}` or `"SaleLines": ""` when empty."""
    wrapped = one_or_many(rows)
    return {container_name: {element_name: wrapped} if wrapped != "" else ""}


def json_response(body, status=200, headers=None):
    text = json.dumps(body, ensure_ascii=False).replace("/", "\\/")
    return Response(text, status=status, headers=headers or {}, content_type="application/json")


RECORDED_ERROR_TYPE = "text/html; charset=UTF-8"


def error_response(status, body, headers=None):
    """The error envelope; 4xx ones carry the content type the recordings show (JSON text, HTML type)."""
    response = json_response(body, status, headers)
    if 400 <= status < 500:
        response.headers["Content-Type"] = RECORDED_ERROR_TYPE
    return response


def error_body(status, message, error_class="Exception"):
    return {
        "httpCode": str(status),
        "httpMessage": HTTPStatus(status).phrase,
        "message": message,
        "errorClass": error_class,
    }


def oauth_error_body(error, description, hint=None):
    body = {"error": error, "error_description": description}
    if hint:
        body["hint"] = hint
    return body


class ApiError(Exception):
    """Raised inside the API; rendered as the standard error envelope."""

    def __init__(self, status, message, error_class="Exception"):
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_class = error_class

    def body(self):
        return error_body(self.status, self.message, self.error_class)
