import re

from django.core.paginator import Page, Paginator
from django.http import Http404

MAX_PAGE = 100_000
# 1 to 100,000 written plainly: « 02 » or « 2.0 » would be the same page under another key
# of the page cache.
_PAGE = re.compile(r"[1-9][0-9]{0,5}")


def requested_page(raw) -> int:
    """The page a listing's ?page= asks for (1 when absent); Http404 for anything that names
    no page (« abc », « 0 », « -1 », « 1.5 »), Django's convention for ListView."""
    if raw is None or raw == "":
        return 1
    if not _PAGE.fullmatch(raw) or int(raw) > MAX_PAGE:
        raise Http404("Cette page n’existe pas.")
    return int(raw)


def page_number(raw) -> int:
    """A page number from a query string: anything but a number from 1 to 100,000 is page 1
    (or the last allowed), so one number keys the cache and feeds the paginator."""
    try:
        return min(max(int(raw), 1), 100_000)
    except (TypeError, ValueError):
        return 1


class ArticlePaginator(Paginator):
    """Pages of article cards that fetch the page's ids first, then only those rows.

    A card carries per-row work (authors, comment count); with a plain OFFSET, PostgreSQL
    would compute it for every skipped row too, so page 50 would cost fifty pages.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {article.pk: article for article in self.object_list.filter(pk__in=ids)}
        return Page([rows[pk] for pk in ids if pk in rows], number, self)
