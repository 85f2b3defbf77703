"""Paging as the platform answers it: `page` from 0, `size` 1–1000, and a `paging` block."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy import func
from sqlmodel import Session, select

from .errors import InvalidInput

T = TypeVar("T")
DEFAULT_SIZE = 20
MAX_SIZE = 1000


@dataclass
class Page(Generic[T]):
    results: list[T]
    page: int
    size: int
    total_results: int
    total_pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.total_pages = -(-self.total_results // self.size)

    @property
    def paging(self) -> dict:
        return {
            "page": self.page,
            "size": self.size,
            "totalPages": self.total_pages,
            "totalResults": self.total_results,
        }


def check_paging(page: int, size: int) -> None:
    if not isinstance(page, int) or page < 0:
        raise InvalidInput("must be 0 or more", "page")
    if not isinstance(size, int) or not 1 <= size <= MAX_SIZE:
        raise InvalidInput(f"must be between 1 and {MAX_SIZE}", "size")


def paginate(session: Session, statement, page: int = 0, size: int = DEFAULT_SIZE) -> Page:
    """Run `statement` (a select, already ordered) for one page, with the total count."""
    check_paging(page, size)
    total = session.exec(select(func.count()).select_from(statement.order_by(None).subquery())).one()
    rows = list(session.exec(statement.offset(page * size).limit(size)).all())
    return Page(rows, page, size, total)
