from django import template

from motcua.catalog.text import format_vnd

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """50000 -> '50.000 đồng'."""
    return format_vnd(int(amount or 0))


@register.simple_tag
def page_url(request, number) -> str:
    """The current URL's query string with `trang` (page) set to `number`, other filters kept."""
    params = request.GET.copy()
    params["trang"] = number
    return "?" + params.urlencode()
