from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from taggit.models import Tag

from .images import clean_upload
from .models import Article, ArticleRedirect, AuthorProfile, Category, Page
from .pagination import ArticlePaginator
from .workflow import can_view

PAGE_SIZE = 12
HOME_LATEST = 8
HOME_PER_CATEGORY = 4


def _paginate(request, queryset):
    return ArticlePaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request):
    published = Article.objects.published().for_listing()
    featured = published.filter(is_featured=True).first() or published.first()
    latest = published.exclude(pk=getattr(featured, "pk", None))[:HOME_LATEST]
    # The newest few ids of each section through the (category, status, published_at) index,
    # then a single query for all the cards, whatever the archive.
    section_ids = Article.objects.published().newest_ids_per_category(
        Category.objects.values_list("pk", flat=True), HOME_PER_CATEGORY
    )
    per_category = published.filter(pk__in=section_ids).order_by(
        "category__position", "-published_at", "-pk"
    )
    sections = {}
    for article in per_category:
        sections.setdefault(article.category, []).append(article)
    return render(
        request,
        "articles/home.html",
        {"featured": featured, "latest": latest, "sections": sections.items()},
    )


def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    articles = Article.objects.published().filter(category=category).for_listing()
    return render(
        request,
        "articles/category_detail.html",
        {"category": category, "page_obj": _paginate(request, articles)},
    )


def tag_detail(request, slug):
    # Tag slugs may hold any character but "/"; a NUL byte would crash PostgreSQL's lookup.
    if "\x00" in slug:
        raise Http404("Mot-clé introuvable.")
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().filter(tags=tag).for_listing()
    return render(
        request, "articles/tag_detail.html", {"tag": tag, "page_obj": _paginate(request, articles)}
    )


def author_detail(request, slug):
    author = get_object_or_404(AuthorProfile.objects.select_related("portrait"), slug=slug)
    articles = Article.objects.published().filter(authors=author).for_listing()
    return render(
        request,
        "articles/author_detail.html",
        {"author": author, "page_obj": _paginate(request, articles)},
    )


def article_detail(request, slug):
    article = (
        Article.objects.published()
        .for_listing()
        .select_related("comment_policy")
        .prefetch_related("tags", "notes")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        return _redirect_old_slug(slug)
    return render(
        request,
        "articles/article_detail.html",
        {"article": article, "related": article.related()},
    )


def _redirect_old_slug(slug):
    """A published article's former address answers with a permanent redirect."""
    moved = (
        ArticleRedirect.objects.filter(old_slug=slug, article__in=Article.objects.published())
        .select_related("article")
        .first()
    )
    if moved is None:
        raise Http404("Article introuvable.")
    return redirect(moved.article, permanent=True)


def article_preview(request, pk):
    """A draft or scheduled article in the public design, for the staff allowed to see it."""
    article = Article.objects.filter(pk=pk).first()
    if article is None or not request.user.is_staff or not can_view(request.user, article):
        raise Http404("Aperçu introuvable.")
    article = Article.objects.for_listing().prefetch_related("tags", "notes").get(pk=article.pk)
    response = render(
        request,
        "articles/article_preview.html",
        {"article": article, "related": article.related()},
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def page_detail(request, slug):
    page = get_object_or_404(Page, slug=slug)
    return render(request, "articles/page_detail.html", {"page": page})


@require_POST
@login_required
def editor_upload(request):
    """Image upload for CKEditor: only writers, only real images, always re-encoded."""
    if not (
        request.user.has_perm("articles.add_article")
        or request.user.has_perm("articles.change_article")
    ):
        return JsonResponse(
            {"error": {"message": "Vous n'avez pas le droit d'ajouter des images."}}, status=403
        )
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": "Aucun fichier reçu."}}, status=400)
    try:
        cleaned = clean_upload(upload)
    except ValidationError as error:
        return JsonResponse({"error": {"message": " ".join(error.messages)}}, status=400)
    name = default_storage.save(f"editor/{cleaned.content.name}", cleaned.content)
    return JsonResponse({"url": default_storage.url(name)})
