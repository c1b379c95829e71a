"""Wire conventions of Sellercloud's REST API (channels-deep.md §2.3): `model.*` query keys bound
case-insensitively, repeated keys for arrays, .NET-style dates, `{"Items", "TotalResults"}` lists and
bodies with `Message`."""
import json
from datetime import datetime, timezone

from werkzeug.wrappers import Response

DATE_FORMATS = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


class ApiProblem(Exception):
    def __init__(self, status, message, model_state=None):
        super().__init__(message)
        self.status, self.message, self.model_state = status, message, model_state

    def response(self):
        body = {"Message": self.message}
        if self.model_state:
            body["ModelState"] = self.model_state
        return json_response(body, self.status)


def json_response(body, status=200):
    return Response(json.dumps(body), status=status, content_type="application/json; charset=utf-8")


def empty_ok():
    """Calls whose swagger shows no response schema answer 200 with an empty body."""
    return Response(b"", status=200)


def net_time(epoch):
    """How the API writes a time: ISO without an offset, milliseconds (UTC here)."""
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def net_time_7(epoch):
    """The rate-limit body's RateLimitResetTime: seven fractional digits and a Z."""
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def parse_date(value, name):
    text = (value or "").strip()
    if text.endswith("Z"):
        text = text[:-1]
    text = text.split(".")[0] if "T" in text else text
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            continue
    raise ApiProblem(400, "The request is invalid.", {name: [f"The value '{value}' is not valid for {name}."]})


class Query:
    """The query string, keys compared without case (ASP.NET model binding)."""

    def __init__(self, args):
        self.values = {}
        for key, value in args.items(multi=True):
            self.values.setdefault(key.lower(), []).append(value)

    def get(self, key, default=None):
        values = self.values.get(key.lower())
        return values[-1] if values else default

    def many(self, key):
        """An array parameter: repeated keys (collectionFormat multi); commas split too."""
        out = []
        for value in self.values.get(key.lower(), []):
            out += [v.strip() for v in value.split(",") if v.strip()]
        return out

    def ints(self, key):
        try:
            return [int(v) for v in self.many(key)]
        except ValueError:
            raise ApiProblem(400, "The request is invalid.", {key: ["The value is not valid."]}) from None

    def int(self, key, default=None):
        value = self.get(key)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except ValueError:
            raise ApiProblem(400, "The request is invalid.", {key: [f"The value '{value}' is not valid."]}) from None

    def date(self, key):
        value = self.get(key)
        return None if value in (None, "") else parse_date(value, key)


def page(rows, query, cap=None, view=None):
    """1-based `model.pageNumber`, `model.pageSize` (default 50, capped at `cap` when given); `view` renders
    only the rows of the page."""
    number = max(1, query.int("model.pageNumber", 1))
    size = query.int("model.pageSize", 50)
    size = 50 if size is None or size < 1 else size
    if cap:
        size = min(size, cap)
    start = (number - 1) * size
    items = rows[start:start + size]
    return {"Items": [view(r) for r in items] if view else items, "TotalResults": len(rows)}


def body_fields(request):
    """A JSON, text/json or form body; returns (the parsed value, its keys lower-cased when a dict)."""
    raw = request.get_data(cache=True)
    if request.mimetype == "application/x-www-form-urlencoded":
        return request.form.to_dict()
    if not raw:
        raise ApiProblem(400, "The request is invalid.", {"model": ["The model field is required."]})
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiProblem(400, "The request is invalid.", {"model": ["The body is not valid JSON."]}) from None


def ci(mapping):
    """A dict's keys lower-cased, nested dicts too (binding ignores case)."""
    if isinstance(mapping, dict):
        return {str(k).lower(): ci(v) for k, v in mapping.items()}
    if isinstance(mapping, list):
        return [ci(v) for v in mapping]
    return mapping
