"""What the public API answers, as pydantic schemas: django-ninja validates each response
against them and writes the OpenAPI schema from them.

Only what a reader of the site may see: no e-mail, no account, no address of any kind but
the public pages' and the pictures'.
"""

from datetime import datetime

from pydantic import BaseModel, Field


class Schema(BaseModel):
    """Plain pydantic: the views hand over dicts, so django-ninja's Schema, which reads each
    value through a getter that also knows ORM objects, would only cost time (a third of a
    50-article page)."""


class Error(Schema):
    detail: str = Field(description="Ce qui ne va pas, en français.")


class Rendition(Schema):
    width: int
    height: int
    webp: str = Field(description="Adresse absolue de la déclinaison WebP.")
    jpeg: str = Field(description="Adresse absolue de la déclinaison JPEG.")


class Photo(Schema):
    url: str = Field(description="Adresse absolue de l’image réencodée, sans métadonnées.")
    width: int
    height: int
    alt: str = Field(description="Texte alternatif : ce que montre l’image.")
    caption: str
    credit: str = Field(
        description="Crédit tel que le site l’affiche (« © … » ou « Illustration : … »)."
    )
    renditions: list[Rendition] = Field(
        description="Déclinaisons, de la plus étroite à la plus large."
    )


class CategoryRef(Schema):
    slug: str
    name: str


class Category(CategoryRef):
    description: str
    url: str = Field(description="Page de la rubrique sur le site.")


class TagRef(Schema):
    slug: str
    name: str


class Tag(TagRef):
    url: str | None = Field(description="Page du mot-clé sur le site.")


class AuthorRef(Schema):
    slug: str
    name: str


class Author(AuthorRef):
    bio: str
    url: str = Field(description="Page de l’auteur sur le site.")
    portrait: Photo | None


class Note(Schema):
    kind: str = Field(description="« update » (mise à jour) ou « correction » (correctif).")
    text: str
    created_at: datetime


class LiveRef(Schema):
    id: int
    state: str = Field(description="« running » (en cours) ou « ended » (terminé).")
    url: str = Field(description="Adresse du direct dans l’API.")


class ArticleSummary(Schema):
    id: int
    slug: str
    title: str
    standfirst: str
    url: str = Field(description="Page de l’article sur le site.")
    published_at: datetime
    revised_at: datetime | None = Field(description="Dernière mise à jour signalée aux lecteurs.")
    category: CategoryRef
    authors: list[AuthorRef]
    tags: list[TagRef]
    photo: Photo | None
    comment_count: int
    live: LiveRef | None = Field(description="Le direct que suit cet article, s’il en est un.")


class Article(ArticleSummary):
    description: str = Field(description="Description pour les moteurs de recherche.")
    body_html: str = Field(
        description="Texte de l’article en HTML nettoyé (liste blanche), adresses absolues."
    )
    notes: list[Note] = Field(
        description="Mises à jour et correctifs, du plus ancien au plus récent."
    )


class Page(Schema):
    next_cursor: str | None = Field(
        description="À passer en `cursor` pour la page suivante ; absent sur la dernière."
    )
    next: str | None = Field(description="Adresse de la page suivante, prête à l’emploi.")


class ArticlePage(Page):
    items: list[ArticleSummary]


class AuthorPage(Page):
    items: list[Author]


class TagPage(Page):
    items: list[Tag]


class CategoryList(Schema):
    items: list[Category]


class ArticleRef(Schema):
    id: int
    slug: str
    title: str
    url: str = Field(description="Page de l’article sur le site.")


class Live(Schema):
    id: int
    article: ArticleRef
    state: str = Field(description="« running » (en cours) ou « ended » (terminé).")
    summary: list[str] = Field(
        description="« L’essentiel » : ce qu’il faut savoir, point par point."
    )
    started_at: datetime
    ended_at: datetime | None
    entries: str = Field(description="Adresse des entrées du direct dans l’API.")


class LivePage(Page):
    items: list[Live]


class LiveEntry(Schema):
    id: int
    title: str
    body_html: str = Field(description="Texte de l’entrée en HTML nettoyé, adresses absolues.")
    published_at: datetime
    corrected_at: datetime | None = Field(description="Dernière correction, s’il y en a eu.")
    changed_at: datetime = Field(description="Publication ou dernière correction.")
    key_moment: bool
    photo: Photo | None
    quote_url: str
    quote_text: str
    author: AuthorRef | None
    url: str = Field(description="L’entrée sur la page de l’article.")


class LiveEntries(Page):
    items: list[LiveEntry] = Field(
        description="Sans `since` : les plus récentes d’abord. Avec `since` : les entrées "
        "publiées ou corrigées depuis, de la plus ancienne modification à la plus récente."
    )
    withdrawn: list[int] = Field(
        description="Avec `since` : les entrées retirées depuis, à enlever de l’affichage."
    )
    next_since: str | None = Field(
        description="À passer en `since` à la prochaine interrogation (rien de nouveau : la même). "
        "Instant UTC à la microseconde : les autres dates s’arrêtent à la milliseconde.",
        json_schema_extra={"format": "date-time"},
    )
    more: bool = Field(description="Avec `since` : d’autres changements attendent déjà.")
