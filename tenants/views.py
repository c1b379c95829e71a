from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from connector.web_access import is_owner, tenant_page

from .account_services import member_invite, member_remove, members_of, tenant_time_zone_set
from .forms import MemberInviteForm, SignUpForm, TimeZoneForm
from .services import tenant_sign_up
from .tokens import api_token_create, api_token_revoke, api_tokens_of


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, user = tenant_sign_up(
            shop_name=form.cleaned_data["shop_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            time_zone=form.cleaned_data["time_zone"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! A few short steps connect your shop; the checklist shows what is left.")
        return redirect("onboarding")
    return render(request, "tenants/sign_up.html", {"form": form}, status=400 if form.errors else 200)


@tenant_page
def account(request):
    form = MemberInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_invite(tenant=request.tenant, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                          request=request)
        except ValidationError as exc:
            for message in exc.message_dict.get("email", exc.messages):
                form.add_error("email", message)
        else:
            messages.success(request, f"{form.cleaned_data['email']} can now sign in (we emailed a link to set a password).")
            return redirect("account")
    return _account_page(request, form=form, status=400 if form.errors else 200)


def _account_page(request, *, form=None, new_token=None, status=200):
    return render(request, "tenants/account.html", {
        "form": form or MemberInviteForm(), "members": members_of(tenant=request.tenant),
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
