from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("thong-bao/", views.inbox, name="inbox"),
    path("thong-bao/cach-nhan/", views.preferences, name="preferences"),
    path("can-bo/tin-nhan/", views.outbox, name="outbox"),
    path("can-bo/tin-nhan/<int:pk>/gui-lai/", views.retry, name="retry"),
]
