from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("tenants.urls")),
    path("", include("connector.web_urls")),
    path("lightspeed/", include("lightspeed.urls")),
    path("channels/miinto/", include("channels.miinto.urls")),
    path("api/", include("connector.api_urls")),
]
