from django.apps import AppConfig


class LightspeedConfig(AppConfig):
    name = "lightspeed"
    verbose_name = "Lightspeed Retail"
