"""The Miinto settings form. It only converts input; miinto_settings_update validates and writes.

    form = MiintoSettingsForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid() and form.save_via_service():
        ...redirect...

Secrets are write-only: the inputs are never filled back, and a blank one keeps the stored value.
Miinto shops are rows `shops-<n>-shop_id / -country / -lightspeed_shop_ls_id` (one spare row to add a
shop; blank a row's shop id to remove it); `form.shop_rows` gives the bound fields per row for the template,
and `form.errors["shops"]` the problems with the rows as a whole (one country twice, unknown shop, ...).
"""
from django import forms
from django.core.exceptions import ValidationError

from lightspeed.models import Category, PriceLevel, Shop

from .models import MiintoSettings, MiintoShop
from .services import miinto_settings_get_or_create, miinto_settings_update

SHOP_PARTS = ("shop_id", "country", "lightspeed_shop_ls_id")
# Countries Miinto sells in, and neighbours (one Miinto shop per country); a choice, so nothing is cut short.
COUNTRIES = [("", "—"), ("DK", "Denmark"), ("SE", "Sweden"), ("NO", "Norway"), ("FI", "Finland"),
             ("NL", "Netherlands"), ("BE", "Belgium"), ("DE", "Germany"), ("AT", "Austria"), ("CH", "Switzerland"),
             ("PL", "Poland"), ("FR", "France"), ("IT", "Italy"), ("ES", "Spain"), ("GB", "United Kingdom")]
SECRET_RETYPE = "Type it again: a secret you typed is never sent back to the browser."


def _choices(queryset, label=str, blank="—"):
    rows = [(str(obj.ls_id), label(obj)) for obj in queryset.filter(archived=False).order_by("ls_id")]
    return ([("", blank)] if blank is not None else []) + rows


class CountryField(forms.ChoiceField):
    def to_python(self, value):
        return super().to_python(value).strip().upper()


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


class MiintoSettingsForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Import Miinto orders")
    identifier = forms.CharField(required=False, max_length=200, label="Miinto channel identifier")
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                             label="Miinto channel secret",
                             help_text="Leave blank to keep the stored secret.")
    feed_price_level_ls_id = forms.ChoiceField(required=False, label="Price level for the feed",
                                               help_text="Blank: the Lightspeed “Default” price level.")
    feed_only_in_stock = forms.BooleanField(required=False, label="Only items in stock")
    feed_category_ls_ids = forms.MultipleChoiceField(required=False, label="Only these categories",
                                                     help_text="None selected: all categories. "
                                                               "Subcategories are included.")
    feed_extra_columns = forms.BooleanField(required=False, label="Add Miinto's newer columns",
                                            help_text="c:stock_level:integer, c:retail_price_<currency>:integer, "
                                                      "image_link")
    feed_currency = forms.CharField(max_length=3, label="Currency of the feed prices")
    feed_basic_user = forms.CharField(required=False, max_length=100, label="Feed user name (HTTP Basic, optional)")
    feed_basic_password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                                          label="Feed password", help_text="Leave blank to keep the stored password.")
    order_prefix = forms.CharField(required=False, max_length=20, label="Order reference prefix")
    shipping_method_map = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                          label="Shipping methods",
                                          help_text="One per line: miinto method = Lightspeed shipping method")
    unfulfillable_policy = forms.ChoiceField(choices=MiintoSettings.UnfulfillablePolicy.choices,
                                             label="Positions we cannot fulfil")
    void_policy = forms.ChoiceField(choices=MiintoSettings.VoidPolicy.choices,
                                    label="When a sale is voided in Lightspeed")

    def __init__(self, data=None, *, tenant, **kwargs):
        self.tenant = tenant
        self.settings = miinto_settings_get_or_create(tenant=tenant)
        self.shops = list(MiintoShop.objects.for_tenant(tenant).order_by("shop_id"))
        kwargs.setdefault("initial", self._initial())
        super().__init__(data, **kwargs)
        shop_choices = _choices(Shop.objects.for_tenant(tenant))
        self.fields["feed_price_level_ls_id"].choices = _choices(PriceLevel.objects.for_tenant(tenant))
        self.fields["feed_category_ls_ids"].choices = _choices(Category.objects.for_tenant(tenant), blank=None)
        self._secret_hints(data)
        for n in range(len(self.shops) + 1):
            self.fields[f"shops-{n}-shop_id"] = forms.CharField(required=False, max_length=60, label="Miinto shop id")
            self.fields[f"shops-{n}-country"] = CountryField(required=False, choices=COUNTRIES, label="Country")
            self.fields[f"shops-{n}-lightspeed_shop_ls_id"] = forms.ChoiceField(
                required=False, choices=shop_choices, label="Sells the stock of Lightspeed shop")

    def _secret_hints(self, data):
        """"Leave blank to keep" only where something is stored; a typed secret is not shown again after an error."""
        for name, what in (("secret", "secret"), ("feed_basic_password", "password")):
            if data and data.get(name):
                self.fields[name].help_text = SECRET_RETYPE
            elif not getattr(self.settings, name):
                self.fields[name].help_text = f"No {what} stored yet."

    def _initial(self):
        s = self.settings
        initial = {name: getattr(s, name) for name in (
            "enabled", "identifier", "feed_only_in_stock", "feed_extra_columns", "feed_currency", "feed_basic_user",
            "order_prefix", "unfulfillable_policy", "void_policy")}
        initial["feed_price_level_ls_id"] = "" if s.feed_price_level_ls_id is None else str(s.feed_price_level_ls_id)
        initial["feed_category_ls_ids"] = [str(i) for i in s.feed_category_ls_ids]
        initial["shipping_method_map"] = "\n".join(f"{k} = {v}" for k, v in s.shipping_method_map.items())
        for n, shop in enumerate(self.shops):
            initial[f"shops-{n}-shop_id"] = shop.shop_id
            initial[f"shops-{n}-country"] = shop.country
            initial[f"shops-{n}-lightspeed_shop_ls_id"] = str(shop.lightspeed_shop_ls_id or "")
        return initial

    @property
    def shop_rows(self):
        return [[self[f"shops-{n}-{part}"] for part in SHOP_PARTS] for n in range(len(self.shops) + 1)]

    def clean_shipping_method_map(self):
        mapping = {}
        for number, line in enumerate(self.cleaned_data["shipping_method_map"].splitlines(), 1):
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise ValidationError(f"Line {number} should look like “miinto method = Lightspeed method”.")
            mapping[key.strip()] = value.strip()
        return mapping

    def service_kwargs(self):
        """The valid fields, converted for the service (a field with a form error is left out)."""
        data = dict(self.cleaned_data)
        if "feed_price_level_ls_id" in data:
            data["feed_price_level_ls_id"] = _int_or_none(data["feed_price_level_ls_id"])
        if "feed_category_ls_ids" in data:
            data["feed_category_ls_ids"] = [int(i) for i in data["feed_category_ls_ids"]]
        shops = []
        for n in range(len(self.shops) + 1):
            row = {part: data.pop(f"shops-{n}-{part}", "") for part in SHOP_PARTS}
            if (row["shop_id"] or "").strip():
                row["lightspeed_shop_ls_id"] = _int_or_none(row["lightspeed_shop_ls_id"])
                shops.append(row)
        data["shops"] = shops
        return data

    def save_via_service(self):
        """Validate the whole form at once — its own checks and the service's — and save when all pass.
        The service's errors land on the fields. Returns the settings, or None."""
        if not self.is_bound:
            return None
        valid = self.is_valid()
        try:
            settings = miinto_settings_update(tenant=self.tenant, verify=True, validate_only=not valid,
                                              **self.service_kwargs())
            return settings if valid else None
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field in self.fields:
                    for message in messages:
                        self.add_error(field, message)
                else:  # "shops" (the rows as a whole), shown by the template above the shop rows
                    self._errors.setdefault(field, self.error_class()).extend(messages)
            return None
