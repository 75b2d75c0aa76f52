"""Demo content for a fresh install: idempotent, generated locally, nothing downloaded."""

import hashlib
import io
import random
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFilter

from articles import workflow
from articles.defaults import ensure_defaults
from articles.models import Article, AuthorProfile, Category
from articles.tags import normalize_tag
from newsroom.roles import EDITORS, JOURNALISTS, sync_roles
from photos.images import build_renditions
from photos.models import Photo
from public_cache import invalidation
from tools.demo_data import ARTICLES, AUTHORS, NEWSROOM_PIECES
from tools.demo_live import load_live_demo

DEMO_ACCOUNTS = [
    # username, password, display name, role
    ("journaliste", "Journaliste-demo-2025", "Julie Martin", JOURNALISTS),
    ("editeur", "Editeur-demo-2025", "Marc Lefèvre", EDITORS),
]


def _hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def illustration(seed: str, palette: list[str], size=(1600, 900)) -> bytes:
    """An abstract landscape in the article's palette, the same for the same seed."""
    rng = random.Random(hashlib.sha256(seed.encode()).hexdigest())
    width, height = size
    top, middle, accent = (_hex(c) for c in palette[:3])
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(top[i] * (1 - t) + middle[i] * t) for i in range(3)),
        )
    sun_x, sun_y, radius = (
        rng.randint(200, width - 200),
        rng.randint(120, 380),
        rng.randint(60, 130),
    )
    # The halo is blurred at an eighth of the size: the same look for a fraction of the work.
    small = (width // 8, height // 8)
    glow = Image.new("L", small, 0)
    ImageDraw.Draw(glow).ellipse(
        [
            (sun_x - radius * 2) // 8,
            (sun_y - radius * 2) // 8,
            (sun_x + radius * 2) // 8,
            (sun_y + radius * 2) // 8,
        ],
        fill=90,
    )
    glow = glow.filter(ImageFilter.GaussianBlur(8)).resize(size, Image.Resampling.BILINEAR)
    image.paste(Image.new("RGB", size, (255, 244, 214)), mask=glow)
    draw = ImageDraw.Draw(image)
    draw.ellipse(
        [sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=(255, 240, 200)
    )
    for layer in range(4):
        base = int(height * (0.52 + layer * 0.12))
        shade = tuple(
            int(middle[i] * (0.85 - layer * 0.18) + accent[i] * 0.1 * layer) for i in range(3)
        )
        points = [(0, height)]
        x = 0
        while x <= width:
            points.append((x, base - rng.randint(0, int(height * 0.18))))
            x += rng.randint(80, 220)
        points += [(width, base), (width, height)]
        draw.polygon(points, fill=shade)
    draw.rectangle([0, int(height * 0.9), width, height], fill=accent)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=86)
    return buffer.getvalue()


def _user(username, display_name, password=None, role=None, groups=None):
    User = get_user_model()
    first, _, last = display_name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "is_staff": role is not None,
            "email": f"{username}@actualites-express.example",
        },
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        if role:
            user.groups.add(groups[role])
    profile, _ = AuthorProfile.objects.get_or_create(
        user=user, defaults={"display_name": display_name, "slug": slugify(display_name)}
    )
    return profile


def _photo(seed, spec):
    photo = Photo(caption=spec["caption"], credit=spec["credit"], alt_text=spec["alt"])
    photo.image.save(
        f"demo-{seed}.jpg", ContentFile(illustration(seed, spec["palette"])), save=False
    )
    photo.save()
    photo.renditions = build_renditions(photo.image)
    photo.save(update_fields=["renditions"])
    return photo


def _newsroom_pieces(categories) -> int:
    """The demo journalist's pieces at each stage of the circuit, moved by the workflow itself
    (history lines and e-mails included), so that both demo accounts find work on their desk."""
    User = get_user_model()
    journalist = User.objects.get(username="journaliste")
    editor = User.objects.get(username="editeur")
    tomorrow_7am = timezone.localtime().replace(hour=7, minute=0, second=0, microsecond=0)
    tomorrow_7am += timedelta(days=1)
    created = 0
    for spec in NEWSROOM_PIECES:
        if Article.objects.filter(slug=spec["slug"]).exists():
            continue
        article = _article(
            spec,
            categories,
            [journalist.author_profile],
            status=Article.Status.DRAFT,
            created_by=journalist,
        )
        if spec["stage"] != "draft":
            workflow.submit(article, by=journalist, comment=spec.get("comment", ""))
        if spec["stage"] == "sent_back":
            workflow.send_back(article, by=editor, comment=spec["reason"])
        elif spec["stage"] == "scheduled":
            workflow.schedule(article, by=editor, at=tomorrow_7am)
        created += 1
    return created


def _article(spec, categories, authors, **fields) -> Article:
    """One demo article from its spec: text, rubric, photo, authors and keywords."""
    article = Article.objects.create(
        title=spec["title"],
        slug=spec["slug"],
        standfirst=spec["standfirst"],
        body=spec["body"],
        category=categories[spec["category"]],
        hero_photo=_photo(spec["slug"], spec["photo"]),
        **fields,
    )
    article.authors.set(authors)
    article.tags.set([normalize_tag(t) for t in spec["tags"]])
    return article


@transaction.atomic
def load_demo(with_accounts=True) -> dict:
    """Create what is missing of the demo; never touch what already exists."""
    ensure_defaults()
    groups = sync_roles()
    profiles = {}
    for author in AUTHORS:
        profile = _user(author["username"], author["display_name"])
        if not profile.bio:
            profile.bio = author["bio"]
            profile.save(update_fields=["bio"])
        profiles[author["username"]] = profile
    accounts = []
    if with_accounts:
        for username, password, display_name, role in DEMO_ACCOUNTS:
            _user(username, display_name, password, role, groups)
            accounts.append((username, password, role))

    categories = {c.slug: c for c in Category.objects.all()}
    created = 0
    for spec in ARTICLES:
        if Article.objects.filter(slug=spec["slug"]).exists():
            continue
        _article(
            spec,
            categories,
            [profiles[u] for u in spec["authors"]],
            is_featured=spec.get("featured", False),
            status=Article.Status.PUBLISHED,
            published_at=datetime.fromisoformat(spec["published_at"]),
        )
        created += 1
    if created:
        # Created directly, not through the workflow: say so to the public pages once.
        invalidation.changed(article=Article.objects.published())
    if with_accounts:
        created += _newsroom_pieces(categories)
    # The live coverage of the summit, in progress (tools/demo_live.py).
    live = load_live_demo()
    return {"created": created, "accounts": accounts, "live": live}
