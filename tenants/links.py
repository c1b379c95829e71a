"""One-use links sent by email (sign-up confirmation, invitations): a random token in the URL, only its
SHA-256 in the database, compared in constant time."""
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def link_token():
    return secrets.token_urlsafe(32)


def link_digest(token):
    return hashlib.sha256(str(token).encode("utf-8", "surrogatepass")).hexdigest()


def link_find(queryset, token):
    """The row of `queryset` whose digest is the token's, or None."""
    if not token or len(token) > 200:
        return None
    digest = link_digest(token)
    row = queryset.filter(digest=digest).first()
    return row if row is not None and hmac.compare_digest(row.digest, digest) else None


def link_mail(*, to, template, context, request=None):
    """Send `tenants/mail/<template>.txt` (first line: the subject) with absolute links built on the request."""
    base = request.build_absolute_uri("/").rstrip("/") if request is not None else "http://localhost:8000"
    subject, _, body = render_to_string(f"tenants/mail/{template}.txt", {**context, "base": base}).partition("\n")
    send_mail(subject.strip(), body.lstrip(), settings.DEFAULT_FROM_EMAIL, [to])
