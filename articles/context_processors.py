from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import Category, Page

ABOUT_SLUG = "qui-sommes-nous"


def site(request):
    """Navigation and footer content shared by every public page."""
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "nav_categories": Category.objects.only("name", "slug"),
        "about_page": SimpleLazyObject(
            lambda: Page.objects.filter(slug=ABOUT_SLUG).only("title", "summary", "slug").first()
        ),
        "social_links": settings.SOCIAL_LINKS,
    }
