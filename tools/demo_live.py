"""The demo's live coverage: the Alaska summit followed minute by minute (idempotent).

Entries are written for the demo from the facts of the day (arrival at the base, the meeting,
the statements to the press, the protests); the live stays in progress, so that an editor or
the demo journalist can post from its admin page and a reader see the entries arrive.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from articles.models import Article, Category
from articles.tags import normalize_tag
from live.models import Live, LiveEntry
from live.rules import text_to_html

SLUG = "sommet-alaska-en-direct"
LEAD_SLUG = "rencontre-poutine-trump-alaska"

ARTICLE = {
    "title": "Sommet d’Alaska : la rencontre entre Donald Trump et Vladimir Poutine en direct",
    "standfirst": "Les présidents américain et russe se retrouvent sur une base militaire "
    "proche d’Anchorage pour parler de la guerre en Ukraine. Notre rédaction suit la journée "
    "heure par heure.",
    "body": "<p>Premier face-à-face entre les deux dirigeants depuis le retour de Donald Trump à "
    "la Maison-Blanche, le sommet se tient sur la base d’Elmendorf-Richardson, en Alaska. Au "
    "menu : la guerre en Ukraine et les conditions d’un éventuel cessez-le-feu.</p>"
    "<p>Les entrées ci-dessous sont publiées au fil des événements ; les plus importantes sont "
    "rassemblées en tête, dans les moments clés.</p>",
    "published_at": "2025-08-15T20:40:00+02:00",
    "tags": ["Alaska", "Diplomatie", "Ukraine", "États-Unis"],
}

SUMMARY = """Donald Trump et Vladimir Poutine se sont retrouvés sur la base d’Elmendorf-Richardson, près d’Anchorage.
L’entretien, élargi aux conseillers des deux camps, a duré près de trois heures et porté surtout sur l’Ukraine.
Aucun texte n’a été signé ; le président américain parle de « grands progrès ».
À Anchorage, des manifestants ont protesté contre l’accueil fait au président russe."""

# (time in Paris, title, text, key moment)
ENTRIES = [
    (
        "20:55",
        "Les avions présidentiels sont posés",
        "Les appareils des deux dirigeants viennent d’atterrir sur la base "
        "d’Elmendorf-Richardson, à quelques minutes d’intervalle.",
        False,
    ),
    (
        "21:02",
        "Applaudissements et poignée de main",
        "Donald Trump attend son invité au bout du tapis rouge et l’applaudit à son arrivée. "
        "Les deux hommes se serrent longuement la main devant les photographes.",
        True,
    ),
    (
        "21:06",
        "",
        "Geste remarqué : le président russe monte dans « The Beast », la limousine blindée "
        "du président américain, pour rejoindre la salle de réunion.",
        False,
    ),
    (
        "21:10",
        "",
        "Une journaliste demande à Vladimir Poutine s’il s’engage à cesser de tuer des civils. "
        "Le chef du Kremlin ne répond pas.",
        False,
    ),
    (
        "21:24",
        "Finalement, pas de tête-à-tête",
        "La réunion s’ouvre avec deux conseillers de chaque côté de la table : Sergueï Lavrov "
        "et Iouri Ouchakov pour la Russie, Marco Rubio et Steve Witkoff pour les États-Unis.",
        True,
    ),
    (
        "22:05",
        "Manifestation à Anchorage",
        "En ville, des soutiens de l’Ukraine dénoncent l’accueil réservé au président russe. "
        "Plusieurs d’entre eux jugent « gênant » que Washington lui déroule le tapis rouge.",
        False,
    ),
    (
        "23:15",
        "",
        "Près de deux heures après son ouverture, la séance de travail continue à huis clos. "
        "Rien ne filtre pour l’instant des échanges.",
        False,
    ),
    (
        "00:12",
        "Fin de la réunion",
        "Les délégations sortent après près de trois heures de discussions. Aucun document "
        "commun n’a été signé.",
        True,
    ),
    (
        "00:26",
        "Vladimir Poutine : une discussion « constructive »",
        "Devant la presse, le président russe parle d’un échange « respectueux ». Il insiste "
        "sur les garanties de sécurité qu’il faudrait, selon lui, apporter à l’Ukraine, et dit "
        "espérer que l’entente trouvée ouvre la voie à la paix.",
        False,
    ),
    (
        "00:38",
        "Donald Trump salue « de grands progrès »",
        "Le président américain assure que de nombreux points sont réglés, mais reconnaît "
        "qu’un sujet reste ouvert, « probablement le plus important ». Il ne dit pas lequel.",
        True,
    ),
    (
        "00:45",
        "",
        "Aucun des deux présidents n’a répondu aux questions sur les victimes civiles du conflit.",
        False,
    ),
]


def _moment(hour: str) -> datetime:
    day = "2025-08-16" if hour < "12:00" else "2025-08-15"
    return datetime.fromisoformat(f"{day}T{hour}:00+02:00")


@transaction.atomic
def load_live_demo(*, writer_usernames=("journaliste",), editor_username="editeur") -> Live | None:
    """The demo's live, created if it is missing (an existing one is left as it is)."""
    existing = Live.objects.filter(article__slug=SLUG).select_related("article").first()
    if existing or Article.objects.filter(slug=SLUG).exists():
        return existing
    lead = Article.objects.filter(slug=LEAD_SLUG).first()
    if lead is None:
        return None  # the demo articles come first (tools/demo.py)
    article = Article.objects.create(
        title=ARTICLE["title"],
        slug=SLUG,
        standfirst=ARTICLE["standfirst"],
        body=ARTICLE["body"],
        category=Category.objects.get(slug="politique"),
        hero_photo=lead.hero_photo,
        status=Article.Status.PUBLISHED,
        published_at=datetime.fromisoformat(ARTICLE["published_at"]),
    )
    article.authors.set(lead.authors.all())
    article.tags.set([normalize_tag(t) for t in ARTICLE["tags"]])
    User = get_user_model()
    live = Live.objects.create(article=article, summary=SUMMARY, started_at=article.published_at)
    live.writers.set(User.objects.filter(username__in=writer_usernames))
    author = User.objects.filter(username="camille.durand").first()
    LiveEntry.objects.bulk_create(
        LiveEntry(
            live=live,
            status=LiveEntry.Status.PUBLISHED,
            title=title,
            body=text_to_html(text),
            author=author,
            created_at=_moment(hour),
            published_at=_moment(hour),
            is_key_moment=key,
        )
        for hour, title, text, key in ENTRIES
    )
    return live
