from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from connector.web_access import is_owner, tenant_page

from .account_services import member_remove, members_of, tenant_time_zone_set
from .forms import MemberInviteForm, SignUpForm, TimeZoneForm
from .invites import INVITE_DAYS, invite_create, invite_revoke, invites_pending
from .signup import sign_up_request
from .tokens import api_token_create, api_token_revoke, api_tokens_of


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sign_up_request(shop_name=form.cleaned_data["shop_name"], email=form.cleaned_data["email"],
                        password=form.cleaned_data["password"], time_zone=form.cleaned_data["time_zone"],
                        request=request)
        # The same answer whether or not the email has an account: the mail says which it was.
        return render(request, "tenants/sign_up_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "tenants/sign_up.html", {"form": form}, status=400 if form.errors else 200)


@tenant_page
def account(request):
    form = MemberInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invite_create(tenant=request.tenant, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                      invited_by=request.user, request=request)
        # The same answer whether or not the address has an account (or a shop): the invitee decides.
        messages.success(request, f"We emailed an invitation to {form.cleaned_data['email']}. It works for "
                                  f"{INVITE_DAYS} days; they get access when they accept it.")
        return redirect("account")
    return _account_page(request, form=form, status=400 if form.errors else 200)


def _account_page(request, *, form=None, new_token=None, status=200):
    return render(request, "tenants/account.html", {
        "form": form or MemberInviteForm(), "members": members_of(tenant=request.tenant),
        "invites": invites_pending(tenant=request.tenant) if is_owner(request) else [],
        "can_change": is_owner(request), "tokens": api_tokens_of(user=request.user), "new_token": new_token,
        "tz_form": TimeZoneForm(initial={"time_zone": request.tenant.time_zone}),
    }, status=status)


@tenant_page
@require_POST
def time_zone(request):
    form = TimeZoneForm(request.POST)
    if form.is_valid():
        tenant_time_zone_set(tenant=request.tenant, time_zone=form.cleaned_data["time_zone"])
        messages.success(request, f"Times are now shown in {form.cleaned_data['time_zone']}.")
    else:
        messages.error(request, "Choose a time zone from the list.")
    return redirect("account")


@tenant_page
@require_POST
def member_remove_view(request, pk):
    try:
        removed = member_remove(tenant=request.tenant, membership_id=pk, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if removed is None:
            raise Http404("no such member")
        messages.success(request, f"{removed.user.email} no longer has access.")
    return redirect("account")


@tenant_page
@require_POST
def invite_revoke_view(request, pk):
    invite = invite_revoke(tenant=request.tenant, invite_id=pk)
    if invite is None:
        raise Http404("no such invitation")
    messages.success(request, f"The invitation to {invite.email} was revoked: its link no longer works.")
    return redirect("account")


@tenant_page(members_may_post=True)
def api_token(request):
    """Any member may hold tokens for themselves (members' tokens only read). The key is shown on
    this response only: it is not stored, and not put in a flash message (those live in a cookie)."""
    if request.method != "POST":
        return redirect("account")
    token, key = api_token_create(user=request.user, name=request.POST.get("name", "").strip())
    return _account_page(request, new_token={"token": token, "key": key})


@tenant_page(members_may_post=True)
@require_POST
def api_token_revoke_view(request, pk):
    if not api_token_revoke(user=request.user, token_id=pk):
        raise Http404("no such token")
    messages.success(request, "The token was revoked: it no longer works.")
    return redirect("account")
