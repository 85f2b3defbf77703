"""Bodies of application-entity.json: applications, entities, resource associations."""

from __future__ import annotations

from .common import AssociationChannel, Body, Id255, Name255, ResourceTypeName


class Application(Body):
    applicationId: Id255
    applicationName: Name255 | None = None


class ModifyApplication(Body):
    applicationName: Name255 | None = None


class Entity(Body):
    entityId: Id255
    entityName: Name255 | None = None


class ModifyEntity(Body):
    entityName: Name255 | None = None


class ResourceAssociationRequest(Body):
    """The file lists `entityId` as required; it may be null here, for application-level associations."""

    resourceType: ResourceTypeName
    channel: AssociationChannel
    applicationId: Id255
    entityId: Id255 | None = None
    resourceId: Id255
