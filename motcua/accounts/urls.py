from django.urls import path

from . import code_views, views, vneid

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.sign_in, name="login"),
    path("dang-xuat/", views.sign_out, name="logout"),
    path("dang-xuat/moi-noi/", code_views.sign_out_everywhere, name="logout_everywhere"),
    path("dang-ky/", code_views.register, name="register"),
    path("dang-nhap/vneid/", vneid.start, name="vneid"),
    path("dang-nhap/vneid/ve/", vneid.callback, name="vneid_callback"),
    path("dang-ky/nhap-ma/", code_views.register_code, name="register_code"),
    path("dang-nhap/ma/", code_views.sign_in_with_code, name="login_code"),
    path("dang-nhap/ma/nhap/", code_views.sign_in_code_enter, name="login_code_enter"),
    path("dang-nhap/ban-la-ai/", code_views.who, name="who"),
]
