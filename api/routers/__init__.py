"""One router per OpenAPI file. `ROUTERS()` lists those served by default, in order."""

from __future__ import annotations

from fastapi import APIRouter


def ROUTERS() -> list[APIRouter]:  # noqa: N802  (a constant-like registry, built lazily)
    from . import api_keys, application_entity, numbers, resources, sending_strategy, sms, sms_reports

    # Traffic first: FastAPI tries the included routers in order, route by route, so the sends and reads
    # that come by the thousand match in the first router (the paths of different files never overlap).
    return [sms.router, sms_reports.router, application_entity.router, sending_strategy.router, numbers.router,
            resources.router, api_keys.router]
