from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from .images import clean_upload
from .models import Article, Photo


class PhotoForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["image", "caption", "credit", "alt_text"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            return clean_upload(image).content
        return image

    def clean_credit(self):
        # "© AFP" and "AFP" are the same credit: the © is added on display.
        return self.cleaned_data["credit"].lstrip("©").strip()


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "category",
            "standfirst",
            "body",
            "tags",
            "hero_photo",
            "authors",
            "status",
            "published_at",
            "revised_at",
            "is_featured",
            "meta_description",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        return cleaned
