"""AutosaveMixin, for the article's ModelAdmin: the autosave panel, recovery and presence."""

from django import forms
from django.conf import settings
from django.urls import reverse

from . import presence, recovery

# « ?reprendre=1 »: the form opens with the autosaved fields instead of the saved ones.
RECOVER = "reprendre"


class AutosaveMixin:
    """The form keeps a private copy as it is typed (static/js/autosave.js); reopening offers
    it back. The copy is discarded once the form is saved."""

    @property
    def media(self):
        return super().media + forms.Media(
            js=["js/autosave.js"], css={"all": ["css/admin-autosave.css"]}
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if request.method == "GET" and RECOVER in request.GET:
            autosave = recovery.pending(by=request.user, article=obj)
            if autosave is not None:
                request._autosave_recovered = autosave
                return _with_initial_from(form, autosave)
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj if obj is not None and obj.pk else None
        if recovery.may_autosave(request.user, article):
            context["autosave"] = self._autosave_panel(request, context, article)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _autosave_panel(self, request, context, article):
        args = [article.pk] if article else []
        suffix = "" if article else "-new"
        form = context["adminform"].form
        recovered = getattr(request, "_autosave_recovered", None)
        offer = None
        if not form.is_bound and recovered is None:
            pending = recovery.pending(by=request.user, article=article)
            offer = recovery.offer(pending, form, article)
            if pending is not None and offer is None:
                # Nothing the saved article does not already say: nothing to offer, ever.
                recovery.discard(by=request.user, article=article)
        others = ""
        if article is not None:
            presence.heartbeat(article, by=request.user)
            others = presence.sentence(presence.others(article, viewer=request.user))
        return {
            "save_url": reverse(f"autosave:save{suffix}", args=args),
            "discard_url": reverse(f"autosave:discard{suffix}", args=args),
            "session_url": reverse("autosave:session"),
            "login_url": reverse("admin:login"),
            "interval": settings.AUTOSAVE_INTERVAL_SECONDS,
            "form_id": f"{self.opts.model_name}_form",
            "is_new": article is None,
            "offer": offer,
            "recovered": recovery.Offer(recovered.saved_at, []) if recovered else None,
            "presence": others,
        }

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Saved (the article's admin saves the row through its rules, not ModelAdmin's save).
        recovery.discard(by=request.user, article=form.instance if change else None)


def _with_initial_from(form_class, autosave):
    class Recovered(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.initial.update(recovery.recovered_values(autosave, self))

    Recovered.__name__ = form_class.__name__
    return Recovered
