"""Structured logs on stdout, each line carrying the id of the request it belongs to."""

import contextvars
import json
import logging
import re
import uuid

request_id_var = contextvars.ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Reuse the proxy's X-Request-ID when it is sane, else make one; echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line; request objects and arguments are never dumped."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a client in logs: a digest, never the username or the address."""
    import hashlib

    from django.conf import settings

    digest = hashlib.blake2s(
        f"{username}|{ip_address}".encode(), key=settings.SECRET_KEY.encode()[:32], digest_size=6
    ).hexdigest()
    return f"client {digest} sur {path_info}"


class ForbiddenWithoutTraceback(logging.Filter):
    """A refused permission (403) is an expected answer: one line, not an error's traceback."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
