from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject, cached_property
from taggit.models import Tag

from actualites.http import allow
from edge.keys import article_keys, name_key, shows
from live.views import live_page
from photos.images import build_renditions, clean_upload
from photos.models import BodyImage
from public_cache import pagecache

from .models import Article, ArticleRedirect, AuthorProfile, Category, Page
from .pagination import ArticlePaginator, requested_page
from .workflow import can_view

PAGE_SIZE = 12
HOME_LATEST = 8
HOME_PER_CATEGORY = 4


def _listing(request, queryset, *, kept_as):
    """The page of cards asked for, read only if the page's fragments render it.

    A page beyond the last answers 404 before anything is rendered, so that it leaves no
    page nor fragment in the cache; the number of pages is kept like the page's fragments.
    """
    number = requested_page(request.GET.get("page"))
    paginator = ArticlePaginator(queryset, PAGE_SIZE)
    if number > 1:
        pages = pagecache.kept_object(
            request,
            "pages",
            kept_as,
            lambda: paginator.num_pages,
            follows=["-".join(map(str, kept_as))],
        )
        if number > pages:
            raise Http404("Cette page n’existe pas.")
    page = SimpleLazyObject(lambda: paginator.page(number))
    return {"page_obj": page, "page_number": number}


class FrontPage:
    """What the home page shows, read only if the page's fragments render it."""

    @cached_property
    def _published(self):
        return Article.objects.published().for_listing()

    @cached_property
    def featured(self):
        return self._published.filter(is_featured=True).first() or self._published.first()

    @cached_property
    def latest(self):
        return self._published.exclude(pk=getattr(self.featured, "pk", None))[:HOME_LATEST]

    @cached_property
    def sections(self):
        # The newest few ids of each section through the (category, status, published_at)
        # index, then a single query for all the cards, whatever the archive. Stories already
        # shown above (the lead, the latest) are left out: no article twice on the page.
        shown = [article.pk for article in (self.featured, *self.latest) if article]
        section_ids = Article.objects.published().newest_ids_per_category(
            Category.objects.values_list("pk", flat=True), HOME_PER_CATEGORY, leaving_out=shown
        )
        per_category = self._published.filter(pk__in=section_ids).order_by(
            "category__position", "-published_at", "-pk"
        )
        sections = {}
        for article in per_category:
            sections.setdefault(article.category, []).append(article)
        # Rubrics down to a single story share a row, two by two, so that no block is half
        # empty; an odd one out takes a whole row, its photo beside its text.
        singles = [category for category, articles in sections.items() if len(articles) == 1]
        halves = set(singles[: len(singles) // 2 * 2])
        return [(category, articles, category in halves) for category, articles in sections.items()]


@allow("GET")
def home(request):
    # The home page is a single page: « ?page=2 » names nothing and must not be cached.
    if requested_page(request.GET.get("page")) > 1:
        raise Http404("Cette page n’existe pas.")
    shows("home")
    return render(request, "articles/home.html", {"front": FrontPage()})


@allow("GET")
def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    shows(f"category-{category.pk}")
    articles = Article.objects.published().filter(category=category).for_listing()
    return render(
        request,
        "articles/category_detail.html",
        {
            "category": category,
            "current_category": category,
            **_listing(request, articles, kept_as=("category", category.pk)),
        },
    )


@allow("GET")
def tag_detail(request, slug):
    # Tag slugs may hold any character but "/"; a NUL byte would crash PostgreSQL's lookup.
    if "\x00" in slug:
        raise Http404("Mot-clé introuvable.")
    tag = get_object_or_404(Tag, slug=slug)
    shows(f"tag-{tag.pk}")
    articles = Article.objects.published().filter(tags=tag).for_listing()
    return render(
        request,
        "articles/tag_detail.html",
        {"tag": tag, **_listing(request, articles, kept_as=("tag", tag.pk))},
    )


@allow("GET")
def author_detail(request, slug):
    author = get_object_or_404(AuthorProfile.objects.select_related("portrait"), slug=slug)
    shows(f"author-{author.pk}")
    if author.portrait_id:
        shows(f"photo-{author.portrait_id}")
    articles = Article.objects.published().filter(authors=author).for_listing()
    return render(
        request,
        "articles/author_detail.html",
        {"author": author, **_listing(request, articles, kept_as=("author", author.pk))},
    )


@allow("GET")
def article_detail(request, slug):
    # Authors, tags and notes are loaded by the page's fragments, only when they render.
    article = pagecache.kept_object(
        request,
        "article",
        (slug,),
        lambda: (
            Article.objects.published()
            .select_related("category", "hero_photo", "comment_policy", "live")
            .defer("search_vector")
            .filter(slug=slug)
            .first()
        ),
        # It holds its rubric's row, whose name the page prints: a rename reloads it.
        follows=lambda article: (*article_keys(article), name_key("category", article.category_id)),
    )
    if article is None:
        return _redirect_old_slug(request, slug)
    shows(*article_keys(article))
    live = getattr(article, "live", None)
    if live is not None:
        # A live coverage: its page shows « L’essentiel » and the stream of entries (live/).
        shows(f"live-{live.pk}")
        return live_page(request, article, live)
    return render(
        request,
        "articles/article_detail.html",
        # related is a method: its query is built only if the "related" fragment renders.
        {"article": article, "related": article.related, "current_category": article.category},
    )


def _redirect_old_slug(request, slug):
    """A published article's former address answers with a permanent redirect; a withdrawn
    article's address says it was withdrawn."""
    moved = (
        ArticleRedirect.objects.filter(old_slug=slug, article__in=Article.objects.published())
        .select_related("article")
        .first()
    )
    if moved is not None:
        return redirect(moved.article, permanent=True)
    withdrawn = Article.objects.filter(slug=slug, status=Article.Status.WITHDRAWN).first()
    if withdrawn is not None:
        # 410, not 404: the article existed and was withdrawn on purpose; search engines drop it.
        return render(request, "410.html", status=410)
    raise Http404("Article introuvable.")


@allow("GET")
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


@allow("GET")
def page_detail(request, slug):
    page = get_object_or_404(Page, slug=slug)
    shows(f"page-{page.pk}")
    return render(request, "articles/page_detail.html", {"page": page})


@allow("POST")
@login_required
def editor_upload(request):
    """Image upload for CKEditor: only writers, only real images, always re-encoded."""
    if not (
        request.user.has_perm("articles.add_article")
        or request.user.has_perm("articles.change_article")
    ):
        return JsonResponse(
            {"error": {"message": "Vous n’avez pas le droit d’ajouter des images."}}, status=403
        )
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": "Aucun fichier reçu."}}, status=400)
    try:
        cleaned = clean_upload(upload)
    except ValidationError as error:
        return JsonResponse({"error": {"message": " ".join(error.messages)}}, status=400)
    # Kept with its renditions: the public page serves it like a hero photo (body_images.py).
    image = BodyImage(uploaded_by=request.user)
    image.image.save(cleaned.content.name, cleaned.content, save=False)
    image.renditions = build_renditions(image.image)
    image.save()
    return JsonResponse({"url": image.image.url})
