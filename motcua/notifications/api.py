"""GET /api/v1/notifications: the caller's messages; and eSMS's delivery reports."""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from motcua.accounts.api import BearerToken

from . import services

router = Router(tags=["notifications"])


class MessageOut(Schema):
    at: dt.datetime
    channel: str
    event: str
    text: str
    status: str


class MessagesOut(Schema):
    items: list[MessageOut]


@router.get("", response=MessagesOut, auth=BearerToken(), summary="Thông báo gửi cho tôi, mới nhất trước")
def my_messages(request):
    return {"items": services.api_items(request.auth)}


@router.get("/receipts/esms/{message_id}/{signature}", auth=None, include_in_schema=False)
def esms_receipt(request, message_id: int, signature: str):
    # eSMS calls this URL (our CallbackUrl) with the final status of the SMS in the query string.
    if not services.record_esms_receipt(
        message_id=message_id, signature=signature, params=request.GET.dict()
    ):
        raise Http404(_("Không tìm thấy tin nhắn."))
    return {"ok": True}
