"""The HTTP methods each public view serves: any other gets a 405 naming them (Allow).

Django's CSRF check runs before a view's own method check and answered PUT or DELETE with
a 403, while views without a check served TRACE and OPTIONS like GET. A view declares its
methods with allow(); AllowedMethodsMiddleware answers the others before the CSRF check.
"""

from django.http import HttpResponseNotAllowed
from django.views.decorators.http import require_http_methods

METHOD_ORDER = ("GET", "HEAD", "POST")


def allow(*methods: str):
    """Serve only `methods` (HEAD comes with GET), and say so to AllowedMethodsMiddleware."""
    wanted = {*methods, *(["HEAD"] if "GET" in methods else [])}
    allowed = tuple(method for method in METHOD_ORDER if method in wanted)

    def decorator(view):
        view = require_http_methods(list(allowed))(view)
        view.allowed_methods = allowed
        return view

    return decorator


class AllowedMethodsMiddleware:
    """405 with Allow for a method the resolved view does not declare, before the CSRF check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        allowed = getattr(view_func, "allowed_methods", None)
        if allowed is not None and request.method not in allowed:
            return HttpResponseNotAllowed(allowed)
        return None
