from django.contrib import admin
from django.utils.html import format_html

from .forms import ArticleForm, PhotoForm
from .images import build_renditions
from .models import Article, AuthorProfile, Category, Page, Photo


def thumbnail(photo, width=120):
    if not photo or not photo.image:
        return "—"
    return format_html(
        '<img src="{}" width="{}" alt="{}" class="ae-thumb">',
        photo.url_for_width(width),
        width,
        photo.alt_text,
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = ["preview", "caption", "credit_line", "uploaded_by", "uploaded_at"]
    list_display_links = ["preview", "caption"]
    search_fields = ["caption", "credit", "alt_text"]
    list_filter = ["uploaded_at"]
    readonly_fields = ["preview_large", "width", "height", "uploaded_by", "uploaded_at"]
    fields = [
        "image",
        "preview_large",
        "caption",
        "credit",
        "alt_text",
        "width",
        "height",
        "uploaded_by",
        "uploaded_at",
    ]

    @admin.display(description="aperçu")
    def preview(self, obj):
        return thumbnail(obj, 120)

    @admin.display(description="aperçu")
    def preview_large(self, obj):
        return thumbnail(obj, 480)

    @admin.display(description="crédit", ordering="credit")
    def credit_line(self, obj):
        return obj.credit_line

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        if "image" in form.changed_data or not obj.renditions:
            obj.renditions = build_renditions(obj.image)
            obj.save(update_fields=["renditions"])


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "slug"]
    search_fields = ["display_name", "user__username", "user__email"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user", "portrait"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "category", "status", "is_featured", "published_at", "updated_at"]
    list_filter = ["status", "category", "is_featured", "authors"]
    search_fields = ["title", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["hero_photo", "authors", "category"]
    readonly_fields = ["hero_photo_preview", "created_by", "created_at", "updated_at"]
    list_select_related = ["category"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "standfirst", "body", "tags"]}),
        ("Photo principale", {"fields": ["hero_photo", "hero_photo_preview"]}),
        (
            "Signature et publication",
            {"fields": ["authors", "status", "published_at", "revised_at", "is_featured"]},
        ),
        (
            "Référencement et suivi",
            {
                "classes": ["collapse"],
                "fields": ["meta_description", "created_by", "created_at", "updated_at"],
            },
        ),
    ]

    @admin.display(description="aperçu de la photo")
    def hero_photo_preview(self, obj):
        if not obj.hero_photo_id:
            return "Aucune photo choisie."
        return format_html(
            "{}<br><small>{} — {}</small>",
            thumbnail(obj.hero_photo, 320),
            obj.hero_photo.caption,
            obj.hero_photo.credit_line,
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = getattr(request.user, "author_profile", None)
        if profile is not None:
            initial.setdefault("authors", [profile.pk])
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
