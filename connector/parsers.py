"""The API's JSON parser: depth-limited (no RecursionError from `[[[[…`) and NUL-free (PostgreSQL rejects it)."""
import io
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
_TOKENS = re.compile(rb'"(?:\\.|[^"\\])*"|[\[\]{}]')


def json_depth_exceeds(raw, limit=MAX_DEPTH):
    """True when brackets outside strings nest deeper than `limit` (checked before json.loads recurses)."""
    depth = 0
    for match in _TOKENS.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False


def _has_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if json_depth_exceeds(raw):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.")
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        if _has_nul(data):
            raise ParseError("JSON parse error - a NUL character (\\u0000) is not accepted in any key or value.")
        return data
