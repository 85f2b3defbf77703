"""Documents: uploaded from disk with type and size checked, listed, deleted, named by requirements."""

from __future__ import annotations

import pytest

from store.errors import StoreError
from store.requests import delete_document, list_documents, submit_request, upload_document
from store.requests.documents import MAX_DOCUMENT_BYTES

from .request_data import PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def upload(store, path):
    with store.write() as session:
        return upload_document(session, path)


def test_upload_list_delete(store, tmp_path):
    (tmp_path / "reg.pdf").write_bytes(PDF)
    (tmp_path / "logo.PNG").write_bytes(PNG)
    pdf, png = upload(store, tmp_path / "reg.pdf"), upload(store, tmp_path / "logo.PNG")
    assert (pdf.content_type, pdf.size, pdf.file_name) == ("application/pdf", len(PDF), "reg.pdf")
    assert png.content_type == "image/png" and len(pdf.document_id) == 32
    with store.read() as session:
        assert {d.document_id for d in list_documents(session).results} == {pdf.document_id, png.document_id}
    with store.write() as session:
        delete_document(session, pdf.document_id)
    with store.read() as session:
        assert [d.document_id for d in list_documents(session).results] == [png.document_id]
    with pytest.raises(StoreError) as err, store.write() as session:
        delete_document(session, pdf.document_id)
    assert (err.value.code, err.value.field) == ("RR-DOC404", "documentId")


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("notes.txt", b"hello", "unsupported document type .txt"),
        ("empty.pdf", b"", "must not be null or empty"),
        ("fake.pdf", b"GIF89a....", "unsupported document content type"),
        ("huge.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES, "maximum upload size exceeded"),
    ],
)
def test_refused_uploads_store_nothing(store, tmp_path, name, content, problem):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(StoreError) as err:
        upload(store, tmp_path / name)
    assert err.value.field == "document" and problem in err.value.message
    with store.read() as session:
        assert list_documents(session).total_results == 0


def test_missing_file(store, tmp_path):
    with pytest.raises(StoreError) as err:
        upload(store, tmp_path / "nope.pdf")
    assert err.value.field == "document"


def test_a_document_an_open_request_uses_cannot_be_deleted(store, tmp_path):
    (tmp_path / "address.pdf").write_bytes(PDF)
    doc = upload(store, tmp_path / "address.pdf")
    with store.write() as session:
        result = submit_request(
            session, "NUMBER_PURCHASE", "DE", "VIRTUAL_LONG_NUMBER", ["SMS"], 1,
            requirements={"companyName": "BigCola GmbH", "companyAddress": "Hauptstrasse 1, 10115 Berlin",
                          "proofOfAddress": doc.document_id},
        )
    assert result.ok, result.feedback
    with pytest.raises(StoreError) as err, store.write() as session:
        delete_document(session, doc.document_id)
    assert err.value.code == "CONFLICT"
