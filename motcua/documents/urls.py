from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("ho-so/<str:code>/van-ban/", views.document_list, name="list"),
    path("ho-so/<str:code>/van-ban/<slug:kind>.<str:fmt>", views.document_file, name="file"),
    path("can-bo/so-theo-doi/", views.register_page, name="register"),
]
