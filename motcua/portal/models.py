from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.text import nfc

from .markdown import render_markdown


class Category(models.Model):
    slug = models.SlugField(_("đường dẫn"), unique=True)
    name = models.CharField(_("tên chuyên mục"), max_length=100)

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, published_at__lte=timezone.now())


class Article(models.Model):
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True)
    title = models.CharField(_("tiêu đề"), max_length=250)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("chuyên mục")
    )
    summary = models.CharField(_("tóm tắt"), max_length=400, blank=True)
    body = models.TextField(_("nội dung (Markdown)"))
    body_html = models.TextField(editable=False, default="")
    published_at = models.DateTimeField(_("ngày đăng"), default=timezone.now, db_index=True)
    is_published = models.BooleanField(_("đã đăng"), default=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title, self.summary, self.body = nfc(self.title), nfc(self.summary), nfc(self.body)
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:article", args=[self.slug])


class Page(models.Model):
    """A static page: contact, how online services work, ..."""

    slug = models.SlugField(_("đường dẫn"), unique=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung (Markdown)"))
    body_html = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("trang tĩnh")
        verbose_name_plural = _("trang tĩnh")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title, self.body = nfc(self.title), nfc(self.body)
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:page", args=[self.slug])
