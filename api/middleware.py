"""The API's HTTP rules, before anything else reads the request: read-only, open to every
origin for reading, JSON errors.

Only GET and HEAD are served (others get a JSON 405 naming them in Allow); their answers,
304s and errors included, carry `Access-Control-Allow-Origin: *`, so that a web app on any
site can read them. Nothing is ever allowed across origins but reading: no credentials, and
no CORS header on any other method (browsers then refuse the answer to a script).
"""

from .errors import NOT_FOUND, error_response

PREFIX = "/api/"
READ = ("GET", "HEAD")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    # A script may read these (the others a browser hides across origins).
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Age",
}


def not_found(request, *args, **kwargs):
    return error_response(NOT_FOUND, 404)


class ReadOnlyApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method not in READ:
            response = error_response(
                "L’API publique est en lecture seule : seules GET et HEAD sont acceptées.", 405
            )
            response["Allow"] = ", ".join(READ)
            return response
        head = request.method == "HEAD"
        if head:
            # django-ninja routes GET only; HEAD is the same answer without its body.
            request.method = "GET"
        response = self.get_response(request)
        if head:
            request.method = "HEAD"
            if not response.streaming:
                response["Content-Length"] = str(len(response.content))
                response.content = b""
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response
