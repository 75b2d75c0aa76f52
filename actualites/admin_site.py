"""The newsroom's admin site: « Mon bureau » (desk/) as its home page, and titles in correct French.

Django builds its titles from a model's name alone (« Ajout de article », « Sélectionnez
l’objet photo à changer »). French needs the noun's gender and elision: « Ajouter une photo »,
« Modifier l’article ». Every model admin registered here, ours and the libraries' alike, gets
those titles from `FrenchTitles`; the generic sentences that need no gender are reworded once in
locale/fr/LC_MESSAGES/django.po.
"""

import dataclasses

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR, ActionLocation
from django.utils.text import capfirst
from django.utils.translation import gettext

from desk.sections import for_person

# The gender of each head noun the admin shows (the first word of a model's verbose_name).
# A model whose noun is in neither set fails tests/test_admin_language.py.
FEMININE_NOUNS = {
    "alerte",
    "application",
    "connexion",
    "entrée",
    "lettre",
    "note",
    "page",
    "permission",
    "photo",
    "politique",
    "rubrique",
    "tentative",
    "tâche",
}
MASCULINE_NOUNS = {
    "abonné",
    "article",
    "commentaire",
    "direct",
    "envoi",
    "groupe",
    "mot",
    "mot-clé",
    "profil",
    "réglage",
    "sujet",
    "utilisateur",
    "échec",
    "événement",
}
VOWELS = "aàâeéèêëiîïoôuûh"


@dataclasses.dataclass(frozen=True)
class Noun:
    """A model's name with what French grammar needs around it."""

    singular: str
    plural: str
    feminine: bool

    @classmethod
    def of(cls, opts) -> "Noun":
        singular = str(opts.verbose_name)
        head = singular.split()[0].lower()
        return cls(singular, str(opts.verbose_name_plural), head in FEMININE_NOUNS)

    @property
    def head(self) -> str:
        return self.singular.split()[0].lower()

    @property
    def indefinite(self) -> str:
        return f"{'une' if self.feminine else 'un'} {self.singular}"

    @property
    def definite(self) -> str:
        if self.singular[:1].lower() in VOWELS:
            return f"l’{self.singular}"
        return f"{'la' if self.feminine else 'le'} {self.singular}"

    def agree(self, masculine: str, feminine: str) -> str:
        return feminine if self.feminine else masculine


def titled(filter_class, title):
    """A list filter under our own heading: « Par date d’envoi », not « Par envoyé le »."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    Titled.__name__ = Titled.__qualname__ = filter_class.__name__
    return Titled


class FrenchTitles:
    """Page titles, add button and delete action worded for the model's noun."""

    def noun(self) -> Noun:
        return Noun.of(self.opts)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "cl" in context:
            noun = self.noun()
            context["add_label"] = f"Ajouter {noun.indefinite}"
            # Only Django's own title: an admin that words its own (comments) keeps it.
            if context.get("title") == context["cl"].title:
                if IS_POPUP_VAR in request.GET:
                    context["title"] = f"Choisir {noun.indefinite}"
                else:
                    context["title"] = capfirst(noun.plural)
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        noun = self.noun()
        generated = {
            gettext(pattern) % self.opts.verbose_name
            for pattern in ("Add %s", "Change %s", "View %s")
        }
        if context.get("title") in generated:
            if add:
                context["title"] = f"Ajouter {noun.indefinite}"
            elif self.has_change_permission(request, obj):
                context["title"] = f"Modifier {noun.definite}"
            else:
                context["title"] = f"Consulter {noun.definite}"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None)
        if context and "deleted_objects" in context:
            noun = self.noun()
            if context.get("perms_lacking") or context.get("protected"):
                context["title"] = f"Impossible de supprimer {noun.definite}"
            else:
                context["title"] = f"Supprimer {noun.definite}\u202f?"
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None)
        if context and "object" in context:
            context["title"] = f"Historique\u00a0: {context['object']}"
        return response

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if "delete_selected" in actions:
            noun = self.noun()
            label = f"Supprimer les {noun.plural} {noun.agree('sélectionnés', 'sélectionnées')}"
            actions["delete_selected"] = dataclasses.replace(
                actions["delete_selected"], description=label, plural_description=label
            )
        return actions


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Actualités Express — rédaction"
    site_title = "Actualités Express"
    index_title = "Mon bureau"
    index_template = "desk/index.html"
    # The desk (home page) lists every section; without the side menu, lists and forms get the
    # whole width of a 1366 px screen.
    enable_nav_sidebar = False

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as usual, with French titles whoever wrote the admin class."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, FrenchTitles):
            admin_class = type(
                admin_class.__name__,
                (FrenchTitles, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def index(self, request, extra_context=None):
        context = {"desk": for_person(request.user), **(extra_context or {})}
        return super().index(request, context)
