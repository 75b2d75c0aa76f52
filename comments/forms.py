"""The comment form: the security boundary between a reader's post and the database."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from articles.typography import french_number
from public_forms import guard
from public_forms.emails import email_key
from public_forms.guard import HoneypotField, Refusal

from .models import Comment
from .moderation import (
    has_control_characters,
    normalize_name,
    normalize_text,
    strip_control_characters,
)

NAME_MAX_LENGTH = 80
TEXT_MAX_LENGTH = 3000

CONTROL_CHARACTERS = (
    "Ce texte contient des caractères de contrôle invisibles (par exemple un octet nul), "
    "sans doute venus d’un copier-coller : nous les avons retirés ci-dessous, relisez puis "
    "envoyez à nouveau."
)
TOO_FAST = (
    "Votre commentaire est parti un peu vite, comme ceux des robots : relisez-le puis "
    "envoyez-le à nouveau."
)
EXPIRED = (
    "Le formulaire a expiré : la page était ouverte depuis trop longtemps. Votre texte est "
    "conservé ci-dessous, il suffit de l’envoyer à nouveau."
)
INVALID_TOKEN = (
    "Le formulaire n’a pas pu être vérifié. Votre texte est conservé ci-dessous, il suffit de "
    "l’envoyer à nouveau."
)
# Without JavaScript, the form of a cached page has no token (static/js/form-token.js asks
# for one): the first post comes back once with a token of the moment, as a last check.
CONFIRM = (
    "Dernière étape avant l’envoi : relisez votre commentaire ci-dessous puis envoyez-le à "
    "nouveau. Cette vérification nous protège des robots."
)
HONEYPOT = "Le champ « Ne remplissez pas ce champ » doit rester vide."
GONE_PARENT = (
    "Le commentaire auquel vous répondez n’est plus visible : votre texte sera publié comme "
    "un nouveau commentaire si vous l’envoyez à nouveau."
)


TOKEN_MESSAGES = {
    Refusal.MISSING: CONFIRM,
    Refusal.EXPIRED: EXPIRED,
    Refusal.INVALID: INVALID_TOKEN,
    Refusal.TOO_FAST: TOO_FAST,
}


def guarded_form(article_id: int) -> str:
    """The form a token is for: one article's comment form (public_forms/guard.py)."""
    return f"comment-{article_id}"


def form_token(article_id: int) -> str:
    """Signed proof of which article's form this is and of when the reader reached it."""
    return guard.issue_token(guarded_form(article_id))


def token_error(token: str, article_id: int) -> str:
    """Why a form token is refused, or "" when it is fine."""
    # A reader may keep a page open for hours before writing: the token is refused only after
    # COMMENTS_FORM_MAX_AGE_HOURS (a day), and then the text comes back with a fresh one.
    refusal = guard.check_token(
        token,
        form=guarded_form(article_id),
        min_seconds=settings.COMMENTS_MIN_SECONDS,
        max_age=settings.COMMENTS_FORM_MAX_AGE_HOURS * 3600,
    )
    return TOKEN_MESSAGES[refusal] if refusal else ""


def too_long_validator(value: str) -> None:
    if len(value) > TEXT_MAX_LENGTH:
        raise ValidationError(
            f"Votre commentaire est trop long : {french_number(TEXT_MAX_LENGTH)} caractères au "
            f"plus (il en compte {french_number(len(value))}). Raccourcissez-le puis "
            "envoyez-le à nouveau.",
            code="max_length",
        )


class PlainTextField(forms.CharField):
    """Text typed by a reader: control characters refused, then normalized."""

    def __init__(self, *, normalize, **kwargs):
        self.normalize = normalize
        super().__init__(**kwargs)
        # NUL is one control character among others: one French message covers them all.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def to_python(self, value):
        value = super().to_python(value)
        if has_control_characters(value):
            raise ValidationError(CONTROL_CHARACTERS, code="control_characters")
        return self.normalize(value)


class CommentForm(forms.Form):
    name = PlainTextField(
        label="Votre nom",
        max_length=NAME_MAX_LENGTH,
        normalize=normalize_name,
        help_text="Affiché avec votre commentaire.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "Indiquez votre nom : il sera affiché avec votre commentaire.",
            "max_length": "Votre nom est trop long : %(limit_value)d caractères au plus "
            "(il en compte %(show_value)d).",
        },
    )
    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        help_text="Elle ne sera jamais affichée.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Indiquez votre adresse e-mail : elle ne sera jamais affichée.",
            "invalid": "Cette adresse e-mail n’est pas valide : vérifiez-la "
            "(par exemple prenom.nom@exemple.fr).",
            "max_length": "Cette adresse e-mail est trop longue : %(limit_value)d caractères "
            "au plus.",
        },
    )
    # No max_length: a browser would cut a pasted text at the limit without a word and post
    # it cut. The server judges, says by how much it is too long, and keeps the text.
    text = PlainTextField(
        label="Votre commentaire",
        normalize=normalize_text,
        help_text=f"Texte simple, {french_number(TEXT_MAX_LENGTH)} caractères au plus ; les "
        "retours à la ligne sont conservés.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Écrivez votre commentaire avant de l’envoyer."},
        validators=[too_long_validator],
    )
    notify_on_approval = forms.BooleanField(
        label="Me prévenir quand mon commentaire est publié", required=False
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    website = HoneypotField()
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article, **kwargs):
        self.article = article
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["token"] = form_token(article.pk)

    @classmethod
    def resubmittable(cls, data, *, article):
        """An unvalidated form filled with what was typed, ready to be sent again later."""
        initial = {
            key: strip_control_characters(data.get(key, "")) for key in ("name", "email", "text")
        }
        initial["parent"] = data.get("parent", "")
        initial["notify_on_approval"] = bool(data.get("notify_on_approval"))
        return cls(article=article, initial=initial)

    def clean_email(self):
        # Stored as its key: the same reader is recognised whatever the capitals.
        return email_key(self.cleaned_data["email"])

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        if pk is None:
            return None
        parent = Comment.objects.approved().filter(pk=pk, article=self.article).first()
        if parent is None:
            raise ValidationError(GONE_PARENT, code="gone_parent")
        # One level of replies: answering a reply answers its thread.
        if parent.parent_id:
            return Comment.objects.get(pk=parent.parent_id)
        return parent

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(HONEYPOT, code="honeypot")
        error = token_error(cleaned.get("token") or "", self.article.pk)
        if error:
            raise ValidationError(error, code="token")
        return cleaned

    def for_display(self):
        """Shown again after errors: what was typed, a fresh token, nothing that blocks."""
        data = self.data.copy()
        for key in ("name", "email", "text"):
            data[key] = strip_control_characters(data.get(key, ""))
        data["token"] = form_token(self.article.pk)
        data["website"] = ""
        if "parent" in self.errors:
            data["parent"] = ""
        self.data = data
        return self

    def error_messages_list(self):
        """Every error in reading order, for the summary at the top of the form."""
        messages = list(self.non_field_errors())
        for field in self.visible_fields():
            messages.extend(field.errors)
        for field in self.hidden_fields():
            messages.extend(field.errors)
        return messages
