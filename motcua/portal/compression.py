"""Pages and API answers go out gzipped when the browser accepts it.

Granian sends what Django returns, so without this a 14 KB (gzipped) page crossed a slow mobile link at
three to four times that size. Django's GZipMiddleware pads each compressed answer with random bytes
against BREACH. Files streamed from storage (attachments, results, documents) are sent as they are:
they are PDFs and images already compressed, and they keep their Content-Length. Static files are
served precompressed by WhiteNoise before this runs.
"""

from django.middleware.gzip import GZipMiddleware


class PageCompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if response.streaming:
            return response
        return super().process_response(request, response)
