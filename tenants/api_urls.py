"""Token routes, included in the `api` namespace by connector.api_urls."""
from django.urls import path

from . import api

urlpatterns = [
    path("token/", api.TokenObtainView.as_view(), name="token"),
    path("tokens/", api.TokenListView.as_view(), name="token-list"),
    path("tokens/<int:pk>/", api.TokenDetailView.as_view(), name="token-detail"),
]
