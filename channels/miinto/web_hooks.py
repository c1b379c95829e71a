"""Called by connector.services.channel_switch when the owner switches Miinto on or off."""
from .models import MiintoSettings


def miinto_switch(*, tenant, on):
    """Through the settings service, which refuses to switch on without credentials (ValidationError)."""
    try:
        from .settings_services import miinto_settings_update
    except ImportError:  # the settings service has not landed: flip the flag only
        settings, _ = MiintoSettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
        settings.enabled = on
        settings.save(update_fields=["enabled", "updated_at"])
        return settings
    return miinto_settings_update(tenant=tenant, enabled=on)


def miinto_pos_choice_get(*, tenant):
    settings = MiintoSettings.objects.for_tenant(tenant).first()
    if settings is None:
        return {}
    return {"shop_ls_id": settings.feed_shop_ls_id, "register_ls_id": settings.register_ls_id,
            "employee_ls_id": settings.employee_ls_id}


def miinto_pos_choice_set(*, tenant, shop_ls_id, register_ls_id, employee_ls_id):
    """The Lightspeed shop (feed stock), register and employee Miinto orders use."""
    fields = {"feed_shop_ls_id": shop_ls_id, "register_ls_id": register_ls_id, "employee_ls_id": employee_ls_id}
    try:
        from .settings_services import miinto_settings_update
    except ImportError:
        settings, _ = MiintoSettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
        for name, value in fields.items():
            setattr(settings, name, value)
        settings.save()
        return settings
    return miinto_settings_update(tenant=tenant, **fields)
