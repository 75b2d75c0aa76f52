from django.conf import settings
from django.middleware.csp import ContentSecurityPolicyMiddleware


class NewsroomCSPMiddleware(ContentSecurityPolicyMiddleware):
    """The strict policy everywhere; the admin gets only what CKEditor 5 needs on top."""

    def process_response(self, request, response):
        if request.path.startswith(settings.ADMIN_CSP_PATH_PREFIXES) and not hasattr(
            response, "_csp_config"
        ):
            response._csp_config = settings.SECURE_CSP_ADMIN
        return super().process_response(request, response)
