from django import forms

from .models import Live, LiveEntry
from .rules import why_not_a_live


class QuickEntryForm(forms.Form):
    """The live's quick form: one text field and a button."""

    text = forms.CharField(
        label="Nouvelle entrée",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}),
        help_text="Une ligne vide entre deux paragraphes. Titre, photo ou lien cité : "
        "« Modifier » sur l’entrée publiée.",
        error_messages={"required": "L’entrée est vide : écrivez son texte avant de l’envoyer."},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Raison du retrait",
        max_length=500,
        error_messages={"required": "Indiquez la raison du retrait : elle est gardée au journal."},
    )


class LiveForm(forms.ModelForm):
    class Meta:
        model = Live
        fields = ["article", "summary", "entry_rule", "writers"]

    def clean_article(self):
        article = self.cleaned_data["article"]
        if self.instance.pk is None:
            problem = why_not_a_live(article)
            if problem:
                raise forms.ValidationError(problem)
        return article


class LiveEntryForm(forms.ModelForm):
    class Meta:
        model = LiveEntry
        fields = ["title", "body", "photo", "quote_url", "quote_text"]
