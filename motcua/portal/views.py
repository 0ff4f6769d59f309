from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.catalog.services import (
    fee_summary,
    list_life_events,
    search_procedures,
    untranslated_events_note,
    untranslated_note,
)

from .models import Article, Category, Page

NEWS_PAGE_SIZE = 10


@require_safe
def home(request):
    popular = search_procedures("", limit=6)
    events = list_life_events()
    return render(
        request,
        "portal/home.html",
        {
            "popular": [(p, fee_summary(p)) for p in popular],
            "untranslated": untranslated_note(popular),
            "events": events,
            "events_untranslated": untranslated_events_note(events),
            "news": Article.objects.published().select_related("category")[:3],
        },
    )


@require_safe
def article_list(request):
    articles = Article.objects.published().select_related("category")
    category = None
    if slug := request.GET.get("muc"):
        category = get_object_or_404(Category, slug=slug)
        articles = articles.filter(category=category)
    page = Paginator(articles, NEWS_PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "portal/article_list.html",
        {"page": page, "category": category, "categories": Category.objects.all()},
    )


@require_safe
def article_detail(request, slug: str):
    article = get_object_or_404(Article.objects.published().select_related("category"), slug=slug)
    others = Article.objects.published().exclude(pk=article.pk).select_related("category")[:5]
    return render(request, "portal/article_detail.html", {"article": article, "others": others})


@require_safe
def page_detail(request, slug: str):
    return render(request, "portal/page_detail.html", {"page": get_object_or_404(Page, slug=slug)})


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
