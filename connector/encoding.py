"""Accept-Encoding, read properly: `gzip;q=0` means "not gzip" (RFC 9110 §12.5.3)."""


def accepted_codings(header):
    """{coding: q} of an Accept-Encoding header; entries with a malformed q are ignored."""
    codings = {}
    for part in (header or "").split(","):
        name, *params = [p.strip() for p in part.split(";")]
        if not name:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            codings[name.lower()] = q
    return codings


def accepts_gzip(header):
    codings = accepted_codings(header)
    for name in ("gzip", "x-gzip"):
        if name in codings:
            return codings[name] > 0
    return codings.get("*", 0) > 0
