from django.apps import AppConfig


class ConnectorConfig(AppConfig):
    name = "connector"
    verbose_name = "Sync runs"

    def ready(self):
        from . import registry

        registry.autodiscover()
