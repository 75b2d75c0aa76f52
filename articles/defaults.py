"""Content the site cannot work without: the sections of the navigation and the about page."""

CATEGORIES = [
    (
        "Politique",
        "politique",
        "Institutions, élections, diplomatie : la vie publique en France et dans le monde.",
    ),
    (
        "Sports",
        "sports",
        "Résultats, coulisses et portraits, du terrain amateur aux grandes compétitions.",
    ),
    (
        "Coaching",
        "coaching",
        "Conseils pratiques pour la carrière, la santé et l’équilibre au quotidien.",
    ),
    (
        "Économie",
        "economie",
        "Entreprises, emploi, marchés et pouvoir d’achat, expliqués simplement.",
    ),
    (
        "Sciences et technologies",
        "sciences-et-technologies",
        "Découvertes, innovations et usages numériques qui changent nos vies.",
    ),
    (
        "Culture et divertissement",
        "culture-et-divertissement",
        "Cinéma, musique, livres, séries et expositions.",
    ),
    ("Société", "societe", "Éducation, santé, environnement et vie quotidienne."),
]

ABOUT_SUMMARY = (
    "Actualités Express est une rédaction indépendante née en 2023. Nous publions chaque jour "
    "une information vérifiée, rapide et sans parti pris, et nous prenons le temps d’expliquer "
    "ce qui compte."
)
ABOUT_BODY = """
<p>Actualités Express est née en 2023 d’une conviction simple : l’information de qualité doit être à la fois rapide et sûre. Notre petite rédaction suit l’actualité politique, économique, sportive, scientifique et culturelle, en France comme à l’étranger.</p>
<h2>Notre mission</h2>
<p>Vous donner les faits, vite, puis le contexte qui permet de les comprendre. Chaque article est relu avant publication, chaque photo est créditée, et chaque correction est signalée publiquement en bas de l’article concerné.</p>
<h2>Nos engagements</h2>
<ul>
<li><strong>L’impartialité</strong> : nous donnons la parole aux différentes parties et séparons clairement les faits des analyses.</li>
<li><strong>La transparence</strong> : nos sources sont citées autant que possible et nos erreurs sont corrigées au grand jour.</li>
<li><strong>L’accessibilité</strong> : un site lisible sur tous les écrans, sans publicité intrusive.</li>
</ul>
<h2>Dialoguer avec nous</h2>
<p>Vos commentaires, vos questions et vos signalements nous aident à mieux travailler. Écrivez-nous sous les articles ou abonnez-vous à notre lettre d’information pour recevoir notre sélection.</p>
""".strip()


def ensure_defaults(category_model=None, page_model=None) -> None:
    """Create whatever of the default sections and about page is missing (idempotent)."""
    if category_model is None or page_model is None:
        from .models import Category, Page

        category_model, page_model = Category, Page
    for position, (name, slug, description) in enumerate(CATEGORIES, start=1):
        category_model.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position, "description": description}
        )
    page_model.objects.get_or_create(
        slug="qui-sommes-nous",
        defaults={"title": "Qui sommes-nous ?", "summary": ABOUT_SUMMARY, "body": ABOUT_BODY},
    )
