from django import template

from motcua.dossiers.actions import PAYMENT_METHODS, RESULT_METHODS
from motcua.text import format_vnd

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """50000 -> '50.000 đồng'."""
    return format_vnd(int(amount or 0))


@register.filter
def method_label(code) -> str:
    """A payment or result method's stored code in words: 'vnpay' -> 'VNPay', 'paygov' -> 'Cổng thanh toán
    quốc gia', 'counter' -> 'tại bộ phận một cửa'. An officer page never shows the code."""
    return str(PAYMENT_METHODS.get(code) or RESULT_METHODS.get(code) or code)


@register.simple_tag
def page_url(request, number) -> str:
    """The current URL's query string with `trang` (page) set to `number`, other filters kept."""
    params = request.GET.copy()
    params["trang"] = number
    return "?" + params.urlencode()


@register.filter
def pairs(mapping) -> list:
    """dict -> [(key, value), ...]; `.items` in a template would look up a key named 'items' first."""
    return list(mapping.items()) if isinstance(mapping, dict) else []


@register.filter
def plain(value) -> str:
    """A list as 'a; b; c', anything else as text."""
    return "; ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
