from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("phan-anh/", views.public, name="public"),
    path("phan-anh/da-gui/", views.sent, name="sent"),
    path("phan-anh/xem/<str:key>/", views.answer_page, name="answer"),
    path("ho-so/<str:code>/danh-gia/", views.rate_mine, name="rate"),
    path("can-bo/ho-so/<str:code>/danh-gia/", views.rate_at_counter, name="counter"),
    path("can-bo/phan-anh/", views.office_queue, name="office_queue"),
    path("can-bo/phan-anh/<int:pk>/", views.office_item, name="office_item"),
    path("can-bo/phan-anh/<int:pk>/tep/", views.office_file, name="office_file"),
]
