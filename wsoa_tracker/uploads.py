"""Request size limits: no form of the tracker takes a file or needs a large body.

RequestBodyLimitMiddleware answers 413 from the Content-Length header alone, before any
byte of the body is read (DATA_UPLOAD_MAX_MEMORY_SIZE is the limit). Django reads a body
only up to its Content-Length, so a chunked body without one is never read at all.
Within the limit, a file part is refused before it is written anywhere: Django refuses
any file at all (DATA_UPLOAD_MAX_NUMBER_FILES = 0), and RefuseFiles, the only upload
handler, refuses one too, should that setting ever be raised.
"""

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler

from .errors import page

logger = logging.getLogger("wsoa_tracker.uploads")


class FileNotAccepted(SuspiciousOperation):
    """A request carried a file part: no form here takes one."""


class RefuseFiles(FileUploadHandler):
    def new_file(self, field_name, *args, **kwargs):
        raise FileNotAccepted(f"File part {field_name!r} refused: no form takes files")

    def receive_data_chunk(self, raw_data, start):  # never reached: new_file refuses
        raise FileNotAccepted("File data refused")

    def file_complete(self, file_size):
        return None


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django then reads nothing
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            logger.warning(
                "Request body of %s bytes refused unread (limit %s), %s %s",
                length,
                limit,
                request.method,
                request.path,
            )
            return page("413.html", 413)
        return self.get_response(request)
