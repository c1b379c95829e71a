from django.apps import AppConfig


class ConnectorConfig(AppConfig):
    name = "connector"
    verbose_name = "Sync runs"

    def ready(self):
        from . import registry, schema  # noqa: F401  (schema: the token auth extension registers itself)

        registry.autodiscover()
        from . import tasks  # noqa: F401  registers the Celery tasks dispatch names in every process
