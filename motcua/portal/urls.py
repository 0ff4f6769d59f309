from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("tin-tuc/", views.article_list, name="articles"),
    path("tin-tuc/<slug:slug>/", views.article_detail, name="article"),
    path("trang/<slug:slug>/", views.page_detail, name="page"),
]
