from django.urls import path

from . import receipt_views, views

app_name = "payments"
urlpatterns = [
    path("ho-so/<str:code>/thanh-toan/qr.svg", views.qr, name="qr"),
    path("ho-so/<str:code>/thanh-toan/vnpay/", views.pay_vnpay, name="vnpay"),
    path("ho-so/<str:code>/thanh-toan/dvcqg/", views.pay_paygov, name="paygov"),
    path("thanh-toan/ket-qua/", views.vnpay_return, name="vnpay_return"),
    path("can-bo/thanh-toan/", views.office, name="office"),
    path("can-bo/thanh-toan/hoan-tra/<int:pk>/", views.refund, name="refund"),
    path("can-bo/ho-so/<str:code>/mien-phi/", views.exempt, name="exempt"),
    path("can-bo/thanh-toan/bien-lai/<int:pk>/phat-hanh/", receipt_views.issue_receipt, name="receipt_issue"),
]
