"""Errors of the public API: JSON `{"detail": "…"}` in French, never a page of HTML."""

from django.http import JsonResponse

from articles.typography import french_text


class ApiError(Exception):
    """A request the API refuses, with the status and the French sentence to answer."""

    def __init__(self, detail: str, status: int = 400):
        super().__init__(detail)
        self.detail = detail
        self.status = status


NOT_FOUND = "Rien à cette adresse de l’API (voir /api/v1/openapi.json)."


def error_response(detail: str, status: int) -> JsonResponse:
    """The answer to a refused request; its sentence gets French spacing (« … », « : »)."""
    return JsonResponse(
        {"detail": french_text(detail)}, status=status, json_dumps_params={"ensure_ascii": False}
    )
