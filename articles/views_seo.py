"""How readers and robots find articles: search, sitemaps and robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse

from actualites.http import allow
from actualites.links import absolute_url
from edge.keys import shows

from .pagination import ArticlePaginator, requested_page
from .search import MAX_QUERY_LENGTH, add_excerpts, clean_query, search_articles
from .sitemaps import SITEMAPS, news_articles
from .views import PAGE_SIZE


@allow("GET")
def search(request):
    query = clean_query(request.GET.get("q"))
    page_obj = None
    if query.words:
        paginator = ArticlePaginator(search_articles(query), PAGE_SIZE)
        try:
            page_obj = paginator.page(requested_page(request.GET.get("page")))
        except InvalidPage:
            raise Http404("Cette page de résultats n’existe pas.") from None
        page_obj.object_list = add_excerpts(page_obj.object_list, query)
    return render(
        request,
        "articles/search.html",
        {"query": query, "page_obj": page_obj, "max_query_length": MAX_QUERY_LENGTH},
    )


@allow("GET")
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /apercu/",
        "Disallow: /redaction/",
        f"Disallow: {reverse('articles:search')}",
        # The read beacon (« Les plus lus »): crawlers that run our script need not call it.
        "Disallow: /lu/",
        "",
        f"Sitemap: {absolute_url(reverse('articles:sitemap'))}",
        f"Sitemap: {absolute_url(reverse('articles:sitemap-news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@allow("GET")
@sitemap_views.x_robots_tag
def sitemap_index(request):
    shows("sitemap")
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse("articles:sitemap-section", args=[section]))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(sitemap_views.SitemapIndexItem(location, lastmod))
        # Past 50,000 URLs a section spreads over pages: list each of them.
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(sitemap_views.SitemapIndexItem(f"{location}?p={page}", lastmod))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@allow("GET")
def sitemap_section(request, section):
    shows("sitemap")
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)


@allow("GET")
@sitemap_views.x_robots_tag
def news_sitemap(request):
    shows("sitemap")
    return TemplateResponse(
        request,
        "articles/sitemap_news.xml",
        {"articles": news_articles()},
        content_type="application/xml",
    )
