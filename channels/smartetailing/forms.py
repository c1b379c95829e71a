"""The SmartEtailing settings form. It only converts input; smartetailing_settings_update validates and writes.

    form = SmartEtailingSettingsForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid() and form.save_via_service(): ...

Secrets are write-only: never filled back, and a blank one keeps the stored value. Stores are one field
per Lightspeed shop, `location-<shop id>`: the SmartEtailing location's Neighborhood Descriptor, exactly
as Site Manager shows it (blank: that shop's stock is not sent). `form.location_rows` gives (shop, field).
"""
from types import SimpleNamespace

from django import forms
from django.core.exceptions import ValidationError

from lightspeed.models import PriceLevel, Shop

from .services import smartetailing_settings_get_or_create, smartetailing_settings_update
from .models import SmartEtailingLocation

PLAIN_FIELDS = ("order_service_url", "merchant_id", "ftp_host", "ftp_account", "filter_on_hand", "filter_on_order",
                "filter_reorder", "pos_pricing", "export_orders", "export_when_fulfilled", "status_after_export")
SECRET_HELP = "Leave blank to keep the stored value."


def _level_choices(tenant):
    rows = PriceLevel.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")
    return [("", "—")] + [(str(level.ls_id), level.name) for level in rows]


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


class SmartEtailingSettingsForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="SmartEtailing on")
    order_service_url = forms.CharField(required=False, max_length=300, label="Website address",
                                        help_text="Your SmartEtailing website's address, starting with https, or "
                                                  "the whole Download Order URL from Site Manager.")
    merchant_id = forms.CharField(required=False, max_length=40, label="Merchant id")
    url_key = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False), label="URL key",
                              help_text=SECRET_HELP)
    ftp_host = forms.CharField(required=False, max_length=200, label="POS FTP host",
                               help_text="posftp.smartetailing.com (blank: the default).")
    ftp_account = forms.CharField(required=False, max_length=20, label="FTP account number",
                                  help_text="The 4-digit number from the “POS FTP” e-mail.")
    ftp_password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                                   label="FTP password", help_text=SECRET_HELP)
    filter_on_hand = forms.BooleanField(required=False, label="Balance on hand is greater than 0",
                                        help_text="On by default: only items in stock show on your website.")
    filter_on_order = forms.BooleanField(required=False, label="Balance on order is greater than 0")
    filter_reorder = forms.BooleanField(required=False, label="Reorder point or maximum stock level is greater than 0")
    pos_pricing = forms.BooleanField(required=False, label="Use POS pricing",
                                     help_text="Off: all prices come from SmartEtailing and none are sent.")
    regular_price_level_ls_id = forms.ChoiceField(required=False, label="Regular Price Level")
    sale_price_level_ls_id = forms.ChoiceField(required=False, label="Sale Price Level (optional)",
                                               help_text="A sale also needs a sale start date in Site Manager.")
    export_orders = forms.BooleanField(required=False, label="Use order exporting",
                                       help_text="Balanced (paid in full) orders become completed Lightspeed sales.")
    export_when_fulfilled = forms.BooleanField(required=False,
                                               label="If payment is captured, export the order when all items are "
                                                     "fulfilled")
    status_after_export = forms.CharField(required=False, max_length=60, label="Status after export",
                                          help_text="Blank: no change (recommended at first). Otherwise a status "
                                                    "name from Orders > Status Types.")

    def __init__(self, data=None, *, tenant, **kwargs):
        self.tenant = tenant
        self.settings = smartetailing_settings_get_or_create(tenant=tenant)
        self.shops = list(Shop.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id"))
        kwargs.setdefault("initial", self._initial())
        super().__init__(data, **kwargs)
        for name in ("regular_price_level_ls_id", "sale_price_level_ls_id"):
            self.fields[name].choices = _level_choices(tenant)
        for shop in self.shops:
            self.fields[f"location-{shop.ls_id}"] = forms.CharField(
                required=False, max_length=100, strip=False, label=f"SmartEtailing location of “{shop.name}”",
                help_text="Its Neighborhood Descriptor, exactly (blank: not connected).")

    def _initial(self):
        s = self.settings
        initial = {name: getattr(s, name) for name in ("enabled", *PLAIN_FIELDS)}
        for name in ("regular_price_level_ls_id", "sale_price_level_ls_id"):
            initial[name] = "" if getattr(s, name) is None else str(getattr(s, name))
        for row in SmartEtailingLocation.objects.for_tenant(self.tenant):
            initial[f"location-{row.lightspeed_shop_ls_id}"] = row.neighborhood_descriptor
        return initial

    @property
    def location_rows(self):
        return [(shop, self[f"location-{shop.ls_id}"]) for shop in self.shops]

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        for name in ("regular_price_level_ls_id", "sale_price_level_ls_id"):
            data[name] = _int_or_none(data[name])
        data["locations"] = [{"lightspeed_shop_ls_id": shop.ls_id, "neighborhood_descriptor": value}
                             for shop in self.shops if (value := data.pop(f"location-{shop.ls_id}", "")) != ""]
        return data

    def filters(self):
        """The import settings as entered (for the preview, before saving)."""
        data = self.cleaned_data
        return SimpleNamespace(**{name: data.get(name, False)
                                  for name in ("filter_on_hand", "filter_on_order", "filter_reorder")})

    def save_via_service(self):
        """Call the service; its validation errors land on the fields. Returns the settings or None."""
        try:
            return smartetailing_settings_update(tenant=self.tenant, **self.service_kwargs())
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field in self.fields:
                    for message in messages:
                        self.add_error(field, message)
                else:  # "locations" (the mapping as a whole), shown above the store rows
                    self._errors.setdefault(field, self.error_class()).extend(messages)
            return None
