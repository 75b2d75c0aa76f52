import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The visitor's address, from the proxy's header when settings.CLIENT_IP_HEADER names one.

    Rate limits (comments, newsletter) and login lockouts all count by this same address.
    """
    header = settings.CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    # The last entry is the one our own proxy added; earlier ones are the client's say-so.
    value = value.split(",")[-1].strip() or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def axes_client_ip(request) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE."""
    return client_ip(request)
