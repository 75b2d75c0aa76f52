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
