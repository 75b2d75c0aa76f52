from django import forms
from django.core.files.uploadedfile import UploadedFile

from .images import clean_upload
from .models import Photo


class PhotoForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["image", "caption", "credit", "alt_text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One rule for file names, the editor's upload's (images.check_file_name), not two.
        if "image" in self.fields:  # Not in the read-only view.
            self.fields["image"].max_length = None

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            return clean_upload(image).content
        return image

    def clean_credit(self):
        # "© AFP" and "AFP" are the same credit: the © is added on display.
        return self.cleaned_data["credit"].lstrip("©").strip()
