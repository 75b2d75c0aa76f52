from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from actualites.admin_site import titled

from . import rules as photos
from .forms import PhotoForm
from .models import Photo


def thumbnail(photo, width=120):
    if not photo or not photo.image:
        return "—"
    return format_html(
        '<img src="{}" width="{}" alt="{}" class="ae-thumb">',
        photo.url_for_width(width),
        width,
        photo.alt_text,
    )


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = ["preview", "caption", "credit_line", "uploaded_by", "uploaded_at"]
    list_display_links = ["preview", "caption"]
    search_fields = ["caption", "credit", "alt_text"]
    list_filter = [("uploaded_at", titled(admin.DateFieldListFilter, "date de téléversement"))]
    readonly_fields = ["preview_large", "width", "height", "uploaded_by", "uploaded_at", "used_by"]
    fields = [
        "image",
        "preview_large",
        "caption",
        "credit",
        "alt_text",
        "used_by",
        "width",
        "height",
        "uploaded_by",
        "uploaded_at",
    ]

    def get_fields(self, request, obj=None):
        # Before the upload there is nothing to preview and no size: no « Largeur 0 ».
        if obj is None:
            return ["image", "caption", "credit", "alt_text"]
        return super().get_fields(request, obj)

    @admin.display(description="aperçu")
    def preview(self, obj):
        return thumbnail(obj, 120)

    @admin.display(description="aperçu")
    def preview_large(self, obj):
        return thumbnail(obj, 480)

    @admin.display(description="crédit", ordering="credit")
    def credit_line(self, obj):
        return obj.credit_line

    @admin.display(description="utilisée par")
    def used_by(self, obj):
        articles = photos.articles_using(obj) if obj.pk else []
        if not articles:
            return "Aucun article."
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("admin:articles_article_change", args=[a.pk]),
                    a.title,
                    a.status_label.lower(),
                )
                for a in articles
            ),
        )

    # Who may change a photo: the rules of photos/rules.py, checked on every request.

    def delete_model(self, request, obj):
        photos.delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for photo in queryset:
            photos.delete(photo, by=request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or photos.can_change(request.user, obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        photo = self.get_object(request, object_id)
        if request.method == "GET" and photo is not None:
            reason = photos.why_locked(request.user, photo)
            if reason and self.has_view_permission(request, photo):
                self.message_user(request, reason, messages.INFO)
            elif not reason and photos.articles_using(photo).exists():
                self.message_user(
                    request,
                    "Cette photo illustre des articles (ci-dessous) : toute modification sera "
                    "inscrite dans leur historique, et les pages qui la montrent seront mises à "
                    "jour aussitôt.",
                    messages.INFO,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            photos.change(obj, by=request.user)
        else:
            photos.add(obj, by=request.user)
