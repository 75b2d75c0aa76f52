from django import forms
from django.db import transaction
from django.utils import timezone

from . import editing, workflow
from .models import Article, ArticleNote
from .sanitize import plain_text_view, reader_view


class ReaderChangeMixin:
    """A form field that counts as changed only when what readers see changed.

    The admin's change detection (the reader note), Django's history ("Modification de …")
    and the stored value all follow it: an untouched field keeps its stored text as it was.
    """

    view = staticmethod(plain_text_view)

    def has_changed(self, initial, data):
        return self.view(initial) != self.view(self.to_python(data))


class ReaderTextField(ReaderChangeMixin, forms.CharField):
    pass


class ReaderRichTextField(ReaderChangeMixin, forms.CharField):
    view = staticmethod(reader_view)


class ReaderNoteForm(forms.Form):
    """The note readers get when a live article's text changes, or « correction mineure »."""

    note_kind = forms.ChoiceField(
        label="Type de note",
        choices=ArticleNote.Kind.choices,
        initial=ArticleNote.Kind.UPDATE,
        required=False,
        widget=forms.RadioSelect,
    )
    note_text = forms.CharField(
        label="Note pour les lecteurs",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Affichée en bas de l’article : ce qui a changé et pourquoi.",
    )
    minor_fix = forms.BooleanField(
        label="Correction mineure (coquille, mise en forme) : pas de note publique",
        required=False,
    )

    def check_note(self, cleaned):
        if not cleaned.get("minor_fix") and not cleaned.get("note_text", "").strip():
            self.add_error("note_text", NOTE_NEEDED)


NOTE_NEEDED = (
    "Cet article est en ligne : rédigez une note de mise à jour ou de correction pour les "
    "lecteurs, ou cochez « correction mineure »."
)


class RestoreForm(ReaderNoteForm):
    """Restoring a version of a live article is an edit: readers get a note unless minor."""

    def __init__(self, *args, live, **kwargs):
        super().__init__(*args, **kwargs)
        self.live = live

    def clean(self):
        cleaned = super().clean()
        if self.live:
            self.check_note(cleaned)
        return cleaned


class ArticleForm(ReaderNoteForm, forms.ModelForm):
    # Optimistic locking: the version the person started from travels with the form.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The latest revision when the form was opened: what someone else changed is shown from it.
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    workflow_comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Facultatif, sauf pour renvoyer ou dépublier l’article.",
    )
    workflow_at = forms.DateTimeField(
        label="Publier le",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
        help_text="Pour programmer : date et heure de mise en ligne.",
    )

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
            "is_featured",
            "meta_description",
        ]
        widgets = {
            # A headline runs to a hundred characters: the field shows it whole.
            "title": forms.TextInput(attrs={"class": "ae-headline", "maxlength": 200}),
        }
        help_texts = {
            "body": "Chaque image insérée demande un texte alternatif (obligatoire pour publier). "
            "Pour créditer une image, terminez sa légende par « © Nom du photographe ».",
        }
        field_classes = {
            "title": ReaderTextField,
            "standfirst": ReaderTextField,
            "body": ReaderRichTextField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set when someone else saved in between: who, when and what (see _check_version).
        self.saved_meanwhile = None
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            latest = self.instance.revisions.order_by("-number").first()
            self.fields["base_revision"].initial = latest.number if latest else None

    @property
    def transition(self):
        return self.data.get("_transition", "")

    @property
    def needs_note(self):
        """A live article whose text or photo changed: readers get a note (or it is minor).

        Asked here, beside its field, for what editing.save() refuses without it. Taking the
        article offline needs its reason, not a note for readers who won't see it.
        """
        return (
            self.instance.pk is not None
            and self.instance.is_published
            and not self.unpublishing
            and bool(editing.NOTED_FIELDS.keys() & set(self.changed_data))
        )

    @property
    def unpublishing(self):
        return self.transition == workflow.Action.UNPUBLISH

    def _stored_if_unchanged(self, name):
        # The editor's own spelling of an untouched text is not written back: the stored text,
        # its revisions and its audit trail stay exactly as they were.
        if self.instance.pk is not None and name not in self.changed_data:
            return getattr(self.instance, name)
        return self.cleaned_data[name]

    def clean_title(self):
        return self._stored_if_unchanged("title")

    def clean_standfirst(self):
        return self._stored_if_unchanged("standfirst")

    def clean_body(self):
        return self._stored_if_unchanged("body")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_version(cleaned.get("version"))
        # What the move asks for (workflow.MOVES), said beside its field before anything is saved.
        move = workflow.MOVES.get(self.transition)
        if move and move.comment_needed and not cleaned.get("workflow_comment", "").strip():
            self.add_error("workflow_comment", move.comment_needed)
        if move and move.needs_future_date:
            at = cleaned.get("workflow_at")
            if not at or at <= timezone.now():
                self.add_error("workflow_at", workflow.FUTURE_DATE_NEEDED)
        if self.needs_note:
            self.check_note(cleaned)
        return cleaned

    def _check_version(self, version):
        rows = Article.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            # Held until the admin's transaction commits: no one can slip a save in between.
            rows = rows.select_for_update()
        current = rows.values_list("version", flat=True).first()
        if version == current:
            return
        self.saved_meanwhile = workflow.saved_meanwhile(
            self.instance, since_revision=self.cleaned_data.get("base_revision")
        )
        if self.saved_meanwhile is None:
            raise forms.ValidationError(STALE_UNKNOWN, code="stale")
        raise forms.ValidationError(
            STALE,
            code="stale",
            params={"who": self.saved_meanwhile.who, "when": self.saved_meanwhile.when},
        )


STALE = (
    "%(who)s a enregistré cet article le %(when)s, pendant que vous le rédigiez. Rien n’a été "
    "enregistré de votre côté et votre texte est conservé ci-dessous : lisez ses changements "
    "(juste en dessous), rechargez l’article, puis reportez les vôtres."
)
STALE_UNKNOWN = (
    "Cet article a été modifié par quelqu’un d’autre pendant que vous le rédigiez. Rien n’a été "
    "enregistré et votre texte est conservé ci-dessous : copiez vos changements, rechargez "
    "l’article, puis reportez-les."
)
