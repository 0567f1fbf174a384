"""Receiving an uploaded file without trusting its size.

The multipart body is streamed to a temporary file as it arrives (python-multipart), never held
in memory, and refused with HTTP 413 (naming the file, the limit and the setting that changes it)
as soon as the file passes ``ImportLimits.max_file_bytes``: before a byte of the body is read when
the client declares a longer body, else at the first chunk past the limit. Every received byte
counts (blank lines before the first boundary, data after the last one): the whole body may pass
the limit by ``OVERHEAD`` only. Text fields (``kind``) and each part's headers are small and few. File writes run in the thread pool, never on the event loop.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ..domain.findings import InputIssue
from ..services.errors import InputRejected
from ..settings import ImportLimits
from ..tabular import over_limit, size_text

FIELD_MAX = 1024  # bytes of one text field
HEADERS_MAX = 8 * 1024  # bytes of the headers of one part (python-multipart bounds each line and their number)
MAX_PARTS = 8
OVERHEAD = 64 * 1024  # multipart boundaries, part headers and text fields around the file
UPLOAD = "上传文件 upload"  # the file's name before its part headers have arrived


@dataclass(frozen=True)
class Received:
    path: Path  # a temporary file with the upload's suffix; the caller removes it
    name: str  # the file name the client gave, without any folder
    fields: dict[str, str]


def _refused(reason: str, name: str = UPLOAD) -> InputRejected:
    return InputRejected([InputIssue("input.file_unreadable", name, None, None, {"reason": reason})])


def _headers_too_long() -> InputRejected:
    return _refused(f"form part headers longer than {HEADERS_MAX} bytes / 表单项头部过长（超过 {HEADERS_MAX} 字节）")


class _Parts:
    """python-multipart callbacks: the file part goes to a temporary file (the bytes of each chunk
    are collected in ``pending`` and written by the receiver), text parts go to ``fields``."""

    def __init__(self, limits: ImportLimits):
        self.limits = limits
        self.fields: dict[str, str] = {}
        self.name: str | None = None
        self.file = None
        self.size = 0
        self.pending: list[bytes] = []
        self.parts = 0
        self._headers: dict[bytes, bytes] = {}
        self._field, self._value = b"", b""
        self._text: tuple[str, bytearray] | None = None  # (field name, value) of the text part being read
        self._in_file = False

    def callbacks(self) -> dict:
        return {"on_part_begin": self.part_begin, "on_header_field": self.header_field,
                "on_header_value": self.header_value, "on_header_end": self.header_end,
                "on_headers_finished": self.headers_finished, "on_part_data": self.part_data,
                "on_part_end": self.part_end}

    def part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise _refused(f"more than {MAX_PARTS} form parts / 表单项过多")
        self._headers, self._field, self._value = {}, b"", b""
        self._header_bytes = 0

    def _count_header(self, n: int) -> None:
        self._header_bytes += n
        if self._header_bytes > HEADERS_MAX:
            raise _headers_too_long()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._value += data[start:end]

    def header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field, self._value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        field = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            self._text, self._in_file = (field, bytearray()), False
            return
        if self.file is not None:
            raise _refused("more than one file / 只能上传一个文件")
        raw = options[b"filename"].decode("utf-8", "replace").replace("\\", "/")
        # control characters (NUL above all: no database text holds it) are dropped from the name
        self.name = Path("".join(ch for ch in raw if ch >= " " and ch != "\x7f")).name or "upload.csv"
        self.file = tempfile.NamedTemporaryFile(delete=False, suffix=Path(self.name).suffix.lower()[:10])
        self._in_file, self._text = True, None

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self.size += end - start
            if self.size > self.limits.max_file_bytes:
                raise InputRejected([over_limit("file_size", "max_file_bytes", self.name or UPLOAD, self.limits,
                                                size=f"> {size_text(self.limits.max_file_bytes)}").issue])
            self.pending.append(data[start:end])
        elif self._text is not None:
            self._text[1].extend(data[start:end])
            if len(self._text[1]) > FIELD_MAX:
                raise _refused(f"form field {self._text[0]!r} longer than {FIELD_MAX} bytes / 表单项过长")

    def part_end(self) -> None:
        if self._text is not None:
            self.fields[self._text[0]] = self._text[1].decode("utf-8", "replace")
        self._text, self._in_file = None, False

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            Path(self.file.name).unlink(missing_ok=True)


def _too_long(limits: ImportLimits, size: str, name: str = UPLOAD) -> InputRejected:
    return InputRejected([over_limit("file_size", "max_file_bytes", name, limits, size=size).issue])


async def receive_upload(request: Request, limits: ImportLimits) -> Received:
    """Stream the multipart body of ``request`` to a temporary file within ``limits``."""
    declared = request.headers.get("content-length", "")
    most = limits.max_file_bytes + OVERHEAD  # of the whole body, declared or not
    if declared.isdigit() and int(declared) > most:
        raise _too_long(limits, size_text(int(declared)))
    kind, params = parse_options_header(request.headers.get("content-type"))
    if kind != b"multipart/form-data" or not params.get(b"boundary"):
        raise _refused("expected multipart/form-data with a file field / 请以 multipart/form-data 上传文件")
    parts = _Parts(limits)
    parser = MultipartParser(params[b"boundary"], parts.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > most:
                raise _too_long(limits, f"> {size_text(limits.max_file_bytes)}", parts.name or UPLOAD)
            parser.write(chunk)
            if parts.pending:
                data, parts.pending = b"".join(parts.pending), []
                await run_in_threadpool(parts.file.write, data)
        parser.finalize()
        if parts.file is None:
            raise _refused("no file in the request (form field 'file') / 请求中没有文件")
        await run_in_threadpool(parts.file.close)
    except MultipartParseError as exc:
        parts.discard()
        if str(exc).startswith("Maximum header"):  # python-multipart's own bound on a header line, their number
            raise _headers_too_long() from exc
        raise _refused(f"malformed multipart body: {exc} / 上传数据格式错误", parts.name or UPLOAD) from exc
    except BaseException:
        parts.discard()
        raise
    return Received(Path(parts.file.name), parts.name or "upload.csv", parts.fields)
