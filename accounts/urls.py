from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("confirm/", views.confirm, name="confirm"),
    path("confirm/resend/", views.resend, name="resend"),
    path("login/", views.signin, name="login"),
    path("login/new-password/", views.new_password, name="new_password"),
    path("login/mfa/", views.mfa, name="mfa"),
    path("login/mfa-setup/", views.mfa_setup, name="mfa_setup"),
    path("logout/", views.signout, name="logout"),
    path("password/forgot/", views.forgot_password, name="forgot_password"),
    path("password/reset/", views.reset_password, name="reset_password"),
    path("password/change/", views.change_password, name="change_password"),
    path("security/totp/", views.totp_setup, name="totp_setup"),
    path("hosted/login/", views.hosted_login, name="hosted_login"),
    path("hosted/callback/", views.hosted_callback, name="hosted_callback"),
]
