from .forms import fill_token_slots


class FormTokenMiddleware:
    """Fills the comment forms of a page with a token of the moment, cached page or not.

    It sits outside the page cache and the ETag computation, which see the page with its
    slots: the stored copy and its ETag stay the same for every reader.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            # Compressed by a middleware inside this one: slots unreadable, keep out.
            or response.has_header("Content-Encoding")
        ):
            return response
        content = response.content
        filled = fill_token_slots(content)
        if filled is not content:
            response.content = filled
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(filled))
            # Same page, not the same bytes: the ETag (of the page with its slots) is weak.
            etag = response.get("ETag", "")
            if etag and not etag.startswith("W/"):
                response["ETag"] = "W/" + etag
        return response
