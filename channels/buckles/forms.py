"""The Buckles settings form. It only converts input; buckles_settings_update validates and writes.

Secrets (connection token, webhook secret) are write-only: never filled back; blank keeps the stored value.
Shop rows are `shops-<n>-lightspeed_shop_ls_id / -location` (one spare row; blank the shop to remove a row).
The status table is one select per Lightspeed state, `status-<state>` (blank: not mapped, mailed when seen).
"""
from django import forms
from django.core.exceptions import ValidationError

from lightspeed.models import Shop

from .models import BucklesShop
from .services import buckles_settings_get_or_create, buckles_settings_update
from .statuses import BUCKLES_STATUSES, LIGHTSPEED_STATES, status_table

SHOP_PARTS = ("lightspeed_shop_ls_id", "location")


def _shop_choices(tenant):
    shops = Shop.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")
    return [("", "—")] + [(str(s.ls_id), s.name) for s in shops]


class BucklesSettingsForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Sync with Buckles")
    account = forms.CharField(required=False, max_length=200, label="Buckles account")
    api_token = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                                label="Connection token", help_text="Leave blank to keep the stored token.")
    webhook_secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                                     label="Webhook secret", help_text="Leave blank to keep the stored secret.")
    source = forms.CharField(max_length=40, label="Order source name in Buckles")
    currency = forms.CharField(max_length=3, label="Currency")
    sync_products = forms.BooleanField(required=False, label="Send new and changed products")
    sync_customers = forms.BooleanField(required=False, label="Sync customers both ways")
    sync_checkouts = forms.BooleanField(required=False, label="Send checkouts (open sales) every 15 minutes")

    def __init__(self, data=None, *, tenant, **kwargs):
        self.tenant = tenant
        self.settings = buckles_settings_get_or_create(tenant=tenant)
        self.shops = list(BucklesShop.objects.for_tenant(tenant).order_by("lightspeed_shop_ls_id"))
        kwargs.setdefault("initial", self._initial())
        super().__init__(data, **kwargs)
        choices = _shop_choices(tenant)
        for n in range(len(self.shops) + 1):
            self.fields[f"shops-{n}-lightspeed_shop_ls_id"] = forms.ChoiceField(
                required=False, choices=choices, label="Lightspeed shop")
            self.fields[f"shops-{n}-location"] = forms.CharField(
                required=False, max_length=100, label="Buckles stock location", help_text="Blank: the default.")
        status_choices = [("", "— not mapped (mail me) —")] + list(BUCKLES_STATUSES.items())
        for state, label in LIGHTSPEED_STATES.items():
            self.fields[f"status-{state}"] = forms.ChoiceField(required=False, choices=status_choices, label=label)

    def _initial(self):
        s = self.settings
        initial = {name: getattr(s, name) for name in (
            "enabled", "account", "source", "currency", "sync_products", "sync_customers", "sync_checkouts")}
        for n, shop in enumerate(self.shops):
            initial[f"shops-{n}-lightspeed_shop_ls_id"] = str(shop.lightspeed_shop_ls_id)
            initial[f"shops-{n}-location"] = shop.location
        for state, status in status_table(s.status_map).items():
            initial[f"status-{state}"] = status or ""
        return initial

    @property
    def shop_rows(self):
        return [[self[f"shops-{n}-{part}"] for part in SHOP_PARTS] for n in range(len(self.shops) + 1)]

    @property
    def status_rows(self):
        return [(state, self[f"status-{state}"]) for state in LIGHTSPEED_STATES]

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        shops = []
        for n in range(len(self.shops) + 1):
            row = {part: data.pop(f"shops-{n}-{part}") for part in SHOP_PARTS}
            if row["lightspeed_shop_ls_id"]:
                shops.append({"lightspeed_shop_ls_id": int(row["lightspeed_shop_ls_id"]), "location": row["location"]})
        data["status_map"] = {state: data.pop(f"status-{state}") or "" for state in LIGHTSPEED_STATES}
        data["shops"] = shops
        return data

    def save_via_service(self):
        """Call the service; its validation errors land on the fields. Returns the settings or None."""
        try:
            return buckles_settings_update(tenant=self.tenant, **self.service_kwargs())
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name in self.fields:
                    for message in messages:
                        self.add_error(name, message)
                else:  # "shops", "status_map": shown by the template above their rows
                    self._errors.setdefault(name, self.error_class()).extend(messages)
            return None
