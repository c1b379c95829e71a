from django.contrib.auth import views as auth_views
from django.urls import path

from . import invite_views, views
from .forms import EmailLoginForm

urlpatterns = [
    path("signup/", views.sign_up, name="signup"),
    path("signup/confirm/<str:token>/", invite_views.sign_up_confirm_view, name="signup_confirm"),
    path("invite/<str:token>/", invite_views.invite_view, name="invite"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=EmailLoginForm),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("account/", views.account, name="account"),
    path("account/members/<int:pk>/remove/", views.member_remove_view, name="member_remove"),
    path("account/invites/<int:pk>/revoke/", views.invite_revoke_view, name="invite_revoke"),
    path("account/token/", views.api_token, name="api_token"),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    path("account/time-zone/", views.time_zone, name="time_zone"),
]
