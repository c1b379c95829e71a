"""Requests no view can mean: rejected with a 400 before any view (or the database) sees them."""
import logging

from django.http import HttpResponseBadRequest, JsonResponse

log = logging.getLogger("connector.security")

NUL_MESSAGE = "The request contains a NUL character (%00), which no address, filter or field accepts."


class RejectNulMiddleware:
    """NUL in the path, the query string or a form field: PostgreSQL cannot store or compare it, and no
    legitimate client sends it. One 400 here instead of a 500 in every view that filters on input."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self._nul_in(request)
        if where:
            log.warning("rejected a request with NUL in its %s: %s %s", where, request.method, request.path[:200])
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _nul_in(request):
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
            return "address"
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return "query"
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                  "multipart/form-data"):
            if any("\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values)
                   for key, values in request.POST.lists()):
                return "form"
        return None
