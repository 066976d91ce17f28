from django.urls import path
from mozilla_django_oidc.views import OIDCAuthenticationRequestView  # type: ignore[import-untyped]

from minasidor.console import views

app_name = "console"

urlpatterns = [
    path("logga-in/", views.login, name="login"),
    path("oidc/start/", OIDCAuthenticationRequestView.as_view(), name="oidc-start"),
    path("oidc/callback/", views.CallbackView.as_view(), name="oidc-callback"),
    path("andra-steget/", views.second_factor, name="second-factor"),
    path("andra-steget/nyckel/", views.second_factor_passkey, name="second-factor-passkey"),
    path("andra-steget/nyckel/alternativ/", views.second_factor_passkey_options, name="second-factor-passkey-options"),
    path("nyckel/", views.passkey, name="passkey"),
    path("nyckel/alternativ/", views.passkey_options, name="passkey-options"),
    path("logga-ut/", views.logout, name="logout"),
    path("", views.home, name="home"),
    path("identifiera/", views.identify, name="identify"),
    path("webbtest/", views.webtest_lookup, name="webtest"),
    path("identifiera/personlig-kod/", views.identify_by_code, name="identify-code"),
    path("identifiera/vantar/", views.identify_status, name="identify-status"),
    path("behorighet/<uuid:reference>/", views.permission, name="permission"),
    path("behorighet/<uuid:reference>/prognos/", views.forecast, name="forecast"),
    path("behorighet/<uuid:reference>/arenden/", views.cases, name="cases"),
    path("behorighet/<uuid:reference>/arenden/<uuid:case_id>/", views.case, name="case"),
]
