"""The Miinto settings form: turns inputs into the values miinto_settings_update validates and saves."""
from django import forms

from lightspeed.models import Category, Employee, PriceLevel, Register, Shop

from .models import MiintoSettings, MiintoShop

BLANK = [("", "— choose —")]


def _ls_choices(qs, label=str):
    return BLANK + [(row.ls_id, label(row)) for row in qs]


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class MiintoSettingsForm(forms.Form):
    identifier = forms.CharField(label="Miinto channel identifier", required=False, max_length=200,
                                 help_text="From Miinto's partner portal (Settings → API access).")
    secret = forms.CharField(label="Miinto channel secret", required=False, widget=forms.PasswordInput,
                             help_text="Leave empty to keep the stored secret.")
    shops = forms.CharField(
        label="Miinto shops", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One line per Miinto shop: shop id, country, Lightspeed shop (name or id) — "
                  "e.g. <code>1-m!i!s-045-1234, DK, Main store</code>.")
    feed_shop_ls_id = forms.TypedChoiceField(label="Stock from shop", coerce=int, required=False, empty_value=None,
                                             help_text="The feed's stock_level is this shop's quantity on hand.")
    feed_price_level_ls_id = forms.TypedChoiceField(label="Feed price level", coerce=int, required=False,
                                                    empty_value=None)
    feed_currency = forms.CharField(label="Feed currency", max_length=3, help_text="Three letters, e.g. DKK.")
    feed_only_in_stock = forms.BooleanField(label="Only items in stock", required=False)
    feed_category_ls_ids = forms.TypedMultipleChoiceField(
        label="Only these categories", coerce=int, required=False, help_text="None selected = every category.")
    feed_extra_columns = forms.BooleanField(label="Add Miinto's newer columns (stock as integer, prices in cents, image link)",
                                            required=False)
    feed_basic_user = forms.CharField(label="Feed user name (optional HTTP Basic)", required=False, max_length=100)
    feed_basic_password = forms.CharField(label="Feed password", required=False, widget=forms.PasswordInput,
                                          help_text="Leave empty to keep the stored password.")
    order_prefix = forms.CharField(label="Order reference prefix", required=False, max_length=20,
                                   help_text="Put before the Miinto order id in the Lightspeed sale's reference.")
    register_ls_id = forms.TypedChoiceField(label="Register for Miinto orders", coerce=int, required=False,
                                            empty_value=None)
    employee_ls_id = forms.TypedChoiceField(label="Employee for Miinto orders", coerce=int, required=False,
                                            empty_value=None)
    shipping_method_map = forms.CharField(
        label="Shipping methods", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: <code>miinto method = lightspeed method</code>.")
    unfulfillable_policy = forms.ChoiceField(label="Items we cannot fulfil",
                                             choices=MiintoSettings.UnfulfillablePolicy.choices)
    void_policy = forms.ChoiceField(label="When a Miinto sale is voided in Lightspeed",
                                    choices=MiintoSettings.VoidPolicy.choices)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        live = {"archived": False}
        shops = Shop.objects.for_tenant(tenant).filter(**live).order_by("name")
        self._shops = list(shops)
        self.fields["feed_shop_ls_id"].choices = _ls_choices(self._shops)
        self.fields["feed_price_level_ls_id"].choices = _ls_choices(
            PriceLevel.objects.for_tenant(tenant).filter(**live).order_by("name"))
        self.fields["feed_category_ls_ids"].choices = [
            (c.ls_id, str(c)) for c in Category.objects.for_tenant(tenant).filter(**live).order_by("full_path", "name")]
        self.fields["register_ls_id"].choices = _ls_choices(Register.objects.for_tenant(tenant).filter(**live).order_by("name"))
        self.fields["employee_ls_id"].choices = _ls_choices(
            Employee.objects.for_tenant(tenant).filter(**live).order_by("first_name"), lambda e: str(e) or f"#{e.ls_id}")

    @classmethod
    def initial_from(cls, settings, shops):
        initial = {name: getattr(settings, name) for name in (
            "identifier", "feed_shop_ls_id", "feed_price_level_ls_id", "feed_currency", "feed_only_in_stock",
            "feed_category_ls_ids", "feed_extra_columns", "feed_basic_user", "order_prefix", "register_ls_id",
            "employee_ls_id", "unfulfillable_policy", "void_policy")}
        initial["shipping_method_map"] = "\n".join(f"{k} = {v}" for k, v in (settings.shipping_method_map or {}).items())
        initial["shops"] = "\n".join(
            f"{s.shop_id}, {s.country}, {s.lightspeed_shop_ls_id or ''}".rstrip(", ") for s in shops)
        return initial

    def clean_shipping_method_map(self):
        mapping = {}
        for n, line in enumerate(self.cleaned_data["shipping_method_map"].splitlines(), 1):
            if not line.strip():
                continue
            miinto, sep, lightspeed = line.partition("=")
            if not sep or not miinto.strip() or not lightspeed.strip():
                raise forms.ValidationError(f"Line {n} needs the form: miinto method = lightspeed method.")
            mapping[miinto.strip()] = lightspeed.strip()
        return mapping

    def clean_shops(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["shops"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) != 3:
                raise forms.ValidationError(
                    f"Line {n}: write three things separated by commas: Miinto shop id, country, Lightspeed shop.")
            shop_id, country, ls_shop = parts
            rows.append({"shop_id": shop_id, "country": country, "lightspeed_shop_ls_id": self._ls_shop(ls_shop, n)})
        return rows

    def _ls_shop(self, text, n):
        for shop in self._shops:
            if text == str(shop.ls_id) or text.casefold() == shop.name.casefold():
                return shop.ls_id
        names = ", ".join(s.name for s in self._shops) or "none yet — run the Lightspeed sync first"
        raise forms.ValidationError(f"Line {n}: there is no Lightspeed shop {text!r}. Your shops: {names}.")

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["feed_category_ls_ids"] = list(data["feed_category_ls_ids"])
        return data
