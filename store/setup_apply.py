"""`apply` of a setup file's text: checked before the write lock, written in one transaction.

A file applied successfully is remembered by its digest together with the revision it left the
store at. Applying the same text again while the store is still at that revision cannot change
anything (apply is idempotent and every setup change bumps the revision, from any process), so it
answers "nothing to change" without reading the file again. The digest covers the program's
version and schema too, so a new program with new rules reads the file afresh.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version

from sqlalchemy import delete
from sqlmodel import Session, col

from .db import Store, revision_in
from .migrations import HEAD
from .setup_file import ApplyReport, apply_setup, load_setup, prepare_setup
from .tables import StoreMeta

PREFIX = "applied:"  # StoreMeta key of the last applied file's digest; its value is the revision


def _digest(text: str) -> str:
    try:
        program = version("cpaasx")
    except PackageNotFoundError:
        program = "unknown"
    return hashlib.sha256(f"{program}\0{HEAD}\0{text}".encode()).hexdigest()[:40]


def already_applied(store: Store, text: str) -> bool:
    """True when exactly this text was the last file applied and nothing changed the setup since."""
    with store.read() as session:
        applied = session.get(StoreMeta, PREFIX + _digest(text))
        return applied is not None and applied.value == revision_in(session)


def apply_text(store: Store, text: str, progress=None) -> ApplyReport:
    """Apply a setup file's text, all or nothing; the first bad item raises, naming itself.

    `progress(step, done, total)`, if given, is told each step: parsing, checking, then writing the
    items section by section (done and total count items over the whole file)."""
    tell = progress or (lambda *_args, **_kw: None)
    if already_applied(store, text):
        return ApplyReport()
    tell("parsing", 0, None)
    data = load_setup(text)
    tell("checking", 0, None)
    prepared = prepare_setup(data, release=True)  # the slow, store-free half: before the write lock
    del data
    digest = _digest(text)
    tell("waiting for the store", 0, None)
    with store.write() as session:
        report = apply_setup(session, prepared, progress=progress)
        session.info.setdefault("before_commit", []).append(lambda s: _remember(s, digest))
    return report


def _remember(session: Session, digest: str) -> None:
    session.execute(delete(StoreMeta).where(col(StoreMeta.key).startswith(PREFIX)))
    session.add(StoreMeta(key=PREFIX + digest, value=revision_in(session)))
    session.flush()
