"""Query parameters shared by the routers, bounded as the files type them (int32 pages)."""

from typing import Annotated

from fastapi import Query

INT32_MAX = 2**31 - 1
PageNo = Annotated[int, Query(ge=0, le=INT32_MAX, alias="page")]
Size = Annotated[int, Query(ge=1, le=1000)]
