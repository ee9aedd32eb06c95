"""Request size limits: no form of the tracker needs a large body, and only the plan
workbook's upload takes a file (WorkbookUploadHandler, which that view alone installs).

RequestBodyLimitMiddleware answers 413 from the Content-Length header alone, before any
byte of the body is read (DATA_UPLOAD_MAX_MEMORY_SIZE is the limit). Django reads a body
only up to its Content-Length, so a chunked body without one is never read at all.
Within the limit, a file part is refused before it is written anywhere: Django refuses
more than one file (DATA_UPLOAD_MAX_NUMBER_FILES = 1), and RefuseFiles, the only upload
handler every other view has, refuses that one. The workbook upload's handler keeps at most
WORKBOOK_MAX_BYTES of one file in memory (never on disk) and marks a larger one too large.
"""

import io
import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import InMemoryUploadedFile
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


class WorkbookUploadHandler(FileUploadHandler):
    """One file, in memory only, up to WORKBOOK_MAX_BYTES; a larger one keeps no more than
    that and comes back with `too_large` set, so that the form can say so."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer, self.too_large = io.BytesIO(), False

    def receive_data_chunk(self, raw_data, start):
        room = settings.WORKBOOK_MAX_BYTES + 1 - self.buffer.tell()
        if len(raw_data) > room:
            self.too_large = True
        self.buffer.write(raw_data[: max(room, 0)])
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        upload = InMemoryUploadedFile(
            self.buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            self.buffer.getbuffer().nbytes,
            self.charset,
            self.content_type_extra,
        )
        upload.too_large = self.too_large
        return upload


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
