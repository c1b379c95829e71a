"""The Sellercloud forms. They only convert input; the services validate and write.

- `SellercloudCredentialsForm`: server/team, username, password (write-only: blank keeps it), company id;
  saved only by "Test connection" when the login and the company check out.
- `SellercloudSettingsForm`: the seed's switches with the seed's words, the Returns Warehouse and the cut-over.
- `ShopsMappingForm`: per Lightspeed shop, its warehouses (several), employee and register.
"""
from django import forms
from django.core.exceptions import ValidationError

from lightspeed.models import Employee, Register

from .selectors import shops_mapping, warehouse_names
from .services import (SWITCHES, sellercloud_connection_test, sellercloud_settings_get_or_create,
                       sellercloud_settings_update, shops_mapping_save)

SWITCH_LABELS = {
    "lightspeed_pos_enabled": ("Lightspeed POS Enabled", "Enables the Lightspeed POS integration."),
    "order_download": ("Enable Order Download", "Automatically download orders from Lightspeed."),
    "inventory_upload": ("Enable Inventory Upload", "Automatically upload inventory information to Lightspeed."),
    "price_upload": ("Enable Price Upload", "Automatically upload product pricing information to Lightspeed."),
    "cost_upload": ("Enable Cost Upload", "Automatically upload product cost information to Lightspeed."),
    "auto_enable_new_products": ("Auto Enable New Products For Lightspeed",
                                 "Automatically enable new products for Lightspeed."),
    "auto_create_products": ("Enable Auto Create Enabled Products On Lightspeed",
                             "Automatically create enabled products on Lightspeed."),
    "use_company_address": ("Use Company Address As Billing/Shipping Address For Orders",
                            "Use the Sellercloud company address as the billing/shipping address for orders."),
}


def apply_errors(form, exc):
    for field, messages in exc.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class SellercloudCredentialsForm(forms.Form):
    server = forms.CharField(required=False, max_length=120, label="Server id or team",
                             help_text="xx of xx.api.sellercloud.com; on TF servers team.api.sellercloud.us")
    username = forms.CharField(required=False, max_length=200, label="Username",
                               help_text="An employee user for this integration, as Sellercloud recommends.")
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False), label="Password",
                               help_text="Leave blank to keep the stored password.")
    company_id = forms.IntegerField(required=False, min_value=1, label="Company id")

    def __init__(self, data=None, *, tenant, clock=None, **kwargs):
        self.tenant, self.clock = tenant, clock
        self.settings = sellercloud_settings_get_or_create(tenant=tenant)
        kwargs.setdefault("initial", {n: getattr(self.settings, n) for n in ("server", "username", "company_id")})
        super().__init__(data, prefix="cred", **kwargs)

    def save_via_service(self):
        """Test the connection; the credentials are saved only when it passes. Returns the company or None."""
        try:
            _, company = sellercloud_connection_test(tenant=self.tenant, clock=self.clock, **self.cleaned_data)
        except ValidationError as exc:
            apply_errors(self, exc)
            return None
        return company


class SellercloudSettingsForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Send sales to Sellercloud")
    returns_warehouse_id = forms.TypedChoiceField(required=False, label="Returns Warehouse", coerce=int,
                                                  empty_value=None, help_text="Select a warehouse for returns.")
    orders_since = forms.DateTimeField(required=False, label="Import sales completed after",
                                       help_text="Sales completed before this are not sent (Sellercloud's own "
                                                 "integration looks back 2 days; pick when you switch over).")

    def __init__(self, data=None, *, tenant, **kwargs):
        self.tenant = tenant
        self.settings = sellercloud_settings_get_or_create(tenant=tenant)
        initial = {name: getattr(self.settings, name) for name in (*SWITCHES, "enabled", "orders_since",
                                                                   "returns_warehouse_id")}
        kwargs.setdefault("initial", initial)
        super().__init__(data, **kwargs)
        choices = [("", "—")] + [(str(k), v) for k, v in warehouse_names(self.settings).items()]
        self.fields["returns_warehouse_id"].choices = choices

    @property
    def switch_fields(self):
        return [self[name] for name in SWITCHES]

    def save_via_service(self):
        try:
            return sellercloud_settings_update(tenant=self.tenant, **self.cleaned_data)
        except ValidationError as exc:
            apply_errors(self, exc)
            return None


for _name in SWITCHES:  # the switches, in the seed's order and words
    SellercloudSettingsForm.base_fields[_name] = forms.BooleanField(
        required=False, label=SWITCH_LABELS[_name][0], help_text=SWITCH_LABELS[_name][1])


class ShopsMappingForm(forms.Form):
    """Rows `shop-<ls_id>-warehouses / -employee / -register`, one per mirrored Lightspeed shop."""

    def __init__(self, data=None, *, tenant, **kwargs):
        self.tenant = tenant
        self.settings = sellercloud_settings_get_or_create(tenant=tenant)
        self.mapping = shops_mapping(tenant)
        super().__init__(data, prefix="map", **kwargs)
        warehouses = [(str(k), v) for k, v in warehouse_names(self.settings).items()]
        employees = [("", "—")] + [(str(e.ls_id), str(e)) for e in
                                   Employee.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")]
        for shop, row in self.mapping:
            registers = [("", "—")] + [(str(r.ls_id), r.name) for r in Register.objects.for_tenant(tenant)
                                       .filter(archived=False, shop_ls_id=shop.ls_id).order_by("ls_id")]
            key = f"shop-{shop.ls_id}"
            self.fields[f"{key}-warehouses"] = forms.MultipleChoiceField(
                required=False, choices=warehouses, label=f"Warehouses of {shop.name}",
                initial=[str(w) for w in (row.warehouse_ids if row else [])], widget=forms.CheckboxSelectMultiple)
            self.fields[f"{key}-employee"] = forms.ChoiceField(required=False, choices=employees, label="Employee",
                                                               initial=str(row.employee_ls_id or "") if row else "")
            self.fields[f"{key}-register"] = forms.ChoiceField(required=False, choices=registers, label="Register",
                                                               initial=str(row.register_ls_id or "") if row else "")

    @property
    def rows(self):
        return [(shop, [self[f"shop-{shop.ls_id}-{p}"] for p in ("warehouses", "employee", "register")])
                for shop, _ in self.mapping]

    def service_rows(self):
        data = self.cleaned_data
        return [{"shop_ls_id": shop.ls_id, "warehouse_ids": [int(w) for w in data[f"shop-{shop.ls_id}-warehouses"]],
                 "employee_ls_id": int(data[f"shop-{shop.ls_id}-employee"] or 0) or None,
                 "register_ls_id": int(data[f"shop-{shop.ls_id}-register"] or 0) or None}
                for shop, _ in self.mapping]

    def save_via_service(self):
        try:
            return shops_mapping_save(tenant=self.tenant, rows=self.service_rows())
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                for message in messages:
                    self.add_error(None, message)
            return None
