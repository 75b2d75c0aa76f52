"""Opaque, signed cursors for keyset pagination.

A cursor holds the sort key of the last item of a page; the next page starts strictly after
it. Items published between two pages appear before the first one and shift nothing: a
client paging through the archive sees each article once. Signed, so that a client cannot
make up positions (each page has one cursor, hence one copy in the page cache); anything else
is a 400.
"""

from datetime import UTC, datetime, timedelta

from django.core import signing

from .errors import ApiError

SALT = "api.cursor"
BAD_CURSOR = (
    "Curseur invalide : reprenez la pagination depuis la première page, sans « cursor », "
    "puis suivez les adresses « next » des réponses."
)
MAX_LENGTH = 200
# Moments are written in whole microseconds since 1970.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def make(kind: str, position: list) -> str:
    return signing.Signer(salt=SALT).sign_object([kind, *position], compress=False)


def read(kind: str, raw: str | None, types: tuple[type, ...]) -> list | None:
    """The position a cursor of this kind names; None without a cursor; ApiError otherwise."""
    if raw is None:
        return None
    if not raw or len(raw) > MAX_LENGTH:
        raise ApiError(BAD_CURSOR)
    try:
        found = signing.Signer(salt=SALT).unsign_object(raw)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise ApiError(BAD_CURSOR) from None
    if (
        not isinstance(found, list)
        or len(found) != len(types) + 1
        or found[0] != kind
        or not all(type(value) is wanted for value, wanted in zip(found[1:], types, strict=True))
    ):
        raise ApiError(BAD_CURSOR)
    return found[1:]
