"""Bahasa Indonesia first: the language is the one the reader chose with the switch (the
language cookie), else Indonesian, never the browser's Accept-Language. Ministry and
regional offices often run browsers set to English; the state's pages still open in
Indonesian, and English is one click away. API clients keep Accept-Language."""


class IndonesianUnlessChosen:
    """Placed before django.middleware.locale.LocaleMiddleware, which would otherwise
    follow Accept-Language when no language was chosen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The API's own messages are bilingual; its clients may still ask for a language.
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
