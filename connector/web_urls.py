from django.urls import path

from . import views

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page links: send them to the icon (no 404 on every page).
    path("favicon.ico", views.favicon, name="favicon"),
    path("", views.dashboard, name="dashboard"),
    path("setup/", views.onboarding, name="onboarding"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("jobs/<str:job>/run/", views.run_now, name="run_now"),
    path("jobs/<str:job>/status/", views.run_status, name="run_status"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/retry/", views.order_retry_view, name="order_retry"),
    path("channels/", views.channels, name="channels"),
    path("channels/<str:key>/switch/", views.channel_switch_view, name="channel_switch"),
    path("channels/<str:key>/resume/", views.channel_resume_view, name="channel_resume"),
    path("channels/<str:key>/test/", views.channel_test_view, name="channel_test"),
]
