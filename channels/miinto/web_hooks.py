"""Called by connector.services.channel_switch and the Lightspeed mappings page."""
from .models import MiintoSettings
from .settings_services import miinto_settings_update


def miinto_switch(*, tenant, on):
    """Through the settings service, which refuses to switch on without credentials (ValidationError)."""
    return miinto_settings_update(tenant=tenant, enabled=on)


def miinto_pos_choice_get(*, tenant):
    settings = MiintoSettings.objects.for_tenant(tenant).first()
    if settings is None:
        return {}
    return {"shop_ls_id": settings.feed_shop_ls_id, "register_ls_id": settings.register_ls_id,
            "employee_ls_id": settings.employee_ls_id}


def miinto_pos_choice_set(*, tenant, shop_ls_id, register_ls_id, employee_ls_id):
    """The Lightspeed shop (feed stock), register and employee Miinto orders use."""
    return miinto_settings_update(tenant=tenant, feed_shop_ls_id=shop_ls_id, register_ls_id=register_ls_id,
                                  employee_ls_id=employee_ls_id)
