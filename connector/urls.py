from django.contrib import admin
from django.urls import include, path

from .channels import channels_all


def channel_pages():
    """Each channel's pages under its prefix (/channels/<key>/), in its own namespace."""
    return [path(c.prefix, include((c.urls, c.key), namespace=c.key)) for c in channels_all() if c.urls]


urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("tenants.urls")),
    path("", include("connector.web_urls")),
    *channel_pages(),
    path("api/", include("connector.api_urls")),
]
