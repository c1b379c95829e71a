"""Invitations: a link the invitee accepts; nothing is attached to an account before that, support accounts and
accounts of another shop cannot join, and only a hash of the link's token is stored."""
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tenants.invites import (invite_accept, invite_accept_new_account, invite_create, invite_for_token,
                             invite_revoke, invites_pending)
from tenants.links import link_digest
from tenants.models import Invite, Membership
from tests.isolation import member_create

pytestmark = pytest.mark.django_db


def invited(owner, email, mailoutbox, capture, role="member"):
    """(invite, token) with the mail sent."""
    with capture(execute=True):
        invite = invite_create(tenant=owner.tenant, email=email, role=role, invited_by=owner.user)
    token = re.search(r"/invite/([\w-]+)/", mailoutbox[-1].body).group(1)
    return invite, token


def test_an_invite_attaches_nobody_until_accepted(owner, mailoutbox, django_capture_on_commit_callbacks):
    user = get_user_model().objects.create_user(username="free@example.com", email="free@example.com", password="pw")
    invite, token = invited(owner, "Free@Example.com", mailoutbox, django_capture_on_commit_callbacks)
    assert not Membership.objects.filter(user=user).exists()
    assert invite_for_token(token).pk == invite.pk
    membership = invite_accept(invite=invite, user=user)
    assert (membership.tenant, membership.role) == (owner.tenant, "member")
    assert invite_for_token(token) is None  # used once


def test_the_support_superuser_cannot_be_attached(owner, mailoutbox, django_capture_on_commit_callbacks):
    support = get_user_model().objects.create_superuser(username="support@example.com", email="support@example.com",
                                                        password="pw")
    invite, _ = invited(owner, "support@example.com", mailoutbox, django_capture_on_commit_callbacks)
    assert not Membership.objects.filter(user=support).exists()
    with pytest.raises(ValidationError, match="Support accounts"):
        invite_accept(invite=invite, user=support)
    assert not Membership.objects.filter(user=support).exists()


def test_only_the_invited_address_can_accept(owner, mailoutbox, django_capture_on_commit_callbacks):
    invite, _ = invited(owner, "ann@example.com", mailoutbox, django_capture_on_commit_callbacks)
    someone = get_user_model().objects.create_user(username="bob@example.com", email="bob@example.com", password="pw")
    with pytest.raises(ValidationError, match="ann@example.com"):
        invite_accept(invite=invite, user=someone)
    assert not Membership.objects.filter(user=someone).exists()


def test_an_account_of_another_shop_cannot_accept(owner, mailoutbox, django_capture_on_commit_callbacks):
    other = member_create(slug="shop-b")
    invite, _ = invited(owner, other.user.email, mailoutbox, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="another shop"):
        invite_accept(invite=invite, user=other.user)
    assert list(Membership.objects.filter(user=other.user).values_list("tenant", flat=True)) == [other.tenant.pk]


def test_a_new_invitee_makes_an_account_from_the_link(owner, mailoutbox, django_capture_on_commit_callbacks):
    invite, _ = invited(owner, "new@example.com", mailoutbox, django_capture_on_commit_callbacks, role="owner")
    membership = invite_accept_new_account(invite=invite, password="a-long-pass-phrase")
    assert membership.role == "owner" and membership.user.check_password("a-long-pass-phrase")


def test_revoked_and_expired_invites_do_not_work(owner, mailoutbox, django_capture_on_commit_callbacks):
    revoked, revoked_token = invited(owner, "a@example.com", mailoutbox, django_capture_on_commit_callbacks)
    assert invite_revoke(tenant=owner.tenant, invite_id=revoked.pk).pk == revoked.pk
    assert invite_for_token(revoked_token) is None
    expired, expired_token = invited(owner, "b@example.com", mailoutbox, django_capture_on_commit_callbacks)
    past = timezone.now() - timedelta(seconds=1)
    Invite.objects.for_tenant(owner.tenant).filter(pk=expired.pk).update(expires_at=past)
    assert invite_for_token(expired_token) is None
    assert list(invites_pending(tenant=owner.tenant)) == []


def test_a_new_invite_to_the_same_address_replaces_the_old_link(owner, mailoutbox, django_capture_on_commit_callbacks):
    _, first = invited(owner, "c@example.com", mailoutbox, django_capture_on_commit_callbacks)
    _, second = invited(owner, "c@example.com", mailoutbox, django_capture_on_commit_callbacks)
    assert invite_for_token(first) is None and invite_for_token(second) is not None
    assert invites_pending(tenant=owner.tenant).count() == 1


def test_another_tenant_cannot_revoke_it(owner, mailoutbox, django_capture_on_commit_callbacks):
    invite, token = invited(owner, "d@example.com", mailoutbox, django_capture_on_commit_callbacks)
    other = member_create(slug="shop-b")
    assert invite_revoke(tenant=other.tenant, invite_id=invite.pk) is None
    assert invite_for_token(token) is not None


def test_only_a_hash_of_the_token_is_stored(owner, mailoutbox, django_capture_on_commit_callbacks):
    invite, token = invited(owner, "e@example.com", mailoutbox, django_capture_on_commit_callbacks)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tenants_invite WHERE id = %s", [invite.pk])
        row = [str(v) for v in cursor.fetchone()]
    assert not any(token in value for value in row) and link_digest(token) in row
    assert invite_for_token(link_digest(token)) is None  # the digest is not a key


def test_support_sees_invites_in_the_admin_without_the_digest(client, owner, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    invite, token = invited(owner, "f@example.com", mailoutbox, django_capture_on_commit_callbacks)
    support = get_user_model().objects.create_superuser(username="support", email="s@example.com", password="pw")
    client.force_login(support)
    listing = client.get("/admin/tenants/invite/").content.decode()
    detail = client.get(f"/admin/tenants/invite/{invite.pk}/change/").content.decode()
    assert "f@example.com" in listing and "f@example.com" in detail
    assert invite.digest not in detail and token not in detail
