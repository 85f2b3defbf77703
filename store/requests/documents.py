"""Supporting documents: uploaded from a file (type and size checked) before a request names them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from ..errors import Conflict, InvalidInput, StoreError
from ..paging import DEFAULT_SIZE, Page, paginate
from .tables import RequestDocument, ResourceRequest
from ..display import quote

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_NOT_FOUND = "RR-DOC404"
OPEN_STATUSES = ("PENDING", "IN_REVIEW", "UPDATE_REQUESTED")

# Extension → (content type, how the file's first bytes must look). The platform's supported formats.
_ZIP, _OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
FORMATS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".mp4": ("video/mp4", ()),
    ".mov": ("video/quicktime", ()),
    ".avi": ("video/x-msvideo", (b"RIFF",)),
    ".webm": ("video/webm", (b"\x1a\x45\xdf\xa3",)),
}
# MP4 and QuickTime files carry "ftyp" at byte 4 rather than a leading signature.
_FTYP = (".mp4", ".mov")


def _content_matches(suffix: str, content: bytes) -> bool:
    if suffix in _FTYP:
        return content[4:8] == b"ftyp"
    signatures = FORMATS[suffix][1]
    return any(content.startswith(s) for s in signatures)


def check_document(file_name: str, content: bytes) -> str:
    """The content type of an acceptable document, or an error naming `document`."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in FORMATS:
        allowed = ", ".join(sorted(FORMATS))
        raise InvalidInput(f"unsupported document type {suffix or '(none)'}; use one of {allowed}", "document")
    if not content:
        raise InvalidInput("must not be null or empty", "document")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            f"maximum upload size exceeded ({len(content)} bytes; at most {MAX_DOCUMENT_BYTES})", "document"
        )
    if not _content_matches(suffix, content):
        raise InvalidInput(f"unsupported document content type: the file is not a {suffix[1:]} file", "document")
    return FORMATS[suffix][0]


def upload_document(session: Session, path, now: datetime | None = None) -> RequestDocument:
    """Read a file from disk, check it, store it; its `document_id` is what requirements name."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise InvalidInput(f"no file at {path}", "document")
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            f"maximum upload size exceeded ({path.stat().st_size} bytes; at most {MAX_DOCUMENT_BYTES})", "document"
        )
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", "document") from None
    return add_document(session, path.name, content, now)


def add_document(session: Session, file_name: str, content: bytes, now: datetime | None = None) -> RequestDocument:
    content_type = check_document(file_name, content)
    row = RequestDocument(
        document_id=uuid.uuid4().hex.upper(),
        file_name=file_name,
        content_type=content_type,
        size=len(content),
        uploaded_at=now or datetime.now(UTC),
        content=content,
    )
    session.add(row)
    session.flush()
    return row


def get_document(session: Session, document_id: str) -> RequestDocument:
    row = session.get(RequestDocument, document_id) if isinstance(document_id, str) else None
    if row is None:
        raise StoreError(f"no document {quote(document_id)}", "documentId", DOCUMENT_NOT_FOUND)
    return row


def list_documents(session: Session, page: int = 0, size: int = DEFAULT_SIZE) -> Page:
    statement = select(RequestDocument).order_by(col(RequestDocument.uploaded_at), col(RequestDocument.document_id))
    return paginate(session, statement, page, size)


def delete_document(session: Session, document_id: str) -> None:
    """Delete a document; one an open request still names cannot go (the review needs it)."""
    row = get_document(session, document_id)
    open_requests = session.exec(
        select(ResourceRequest).where(col(ResourceRequest.status).in_(OPEN_STATUSES))
    ).all()
    for request in open_requests:
        if any(_names(item.get("value"), document_id) for item in request.requirements):
            raise Conflict(f"open request {request.id} uses this document", "documentId")
    session.delete(row)
    session.flush()


def _names(value, document_id: str) -> bool:
    return value == document_id or (isinstance(value, list) and document_id in value)
