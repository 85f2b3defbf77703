"""One router per OpenAPI file. `ROUTERS()` lists those served by default, in order."""

from __future__ import annotations

from fastapi import APIRouter


def ROUTERS() -> list[APIRouter]:  # noqa: N802  (a constant-like registry, built lazily)
    from . import api_keys, application_entity, numbers, resources, sending_strategy, sms, sms_reports

    return [application_entity.router, sending_strategy.router, numbers.router, resources.router, api_keys.router,
            sms.router, sms_reports.router]
