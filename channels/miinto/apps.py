from django.apps import AppConfig


class MiintoConfig(AppConfig):
    name = "channels.miinto"
    label = "miinto"
    verbose_name = "Miinto"
