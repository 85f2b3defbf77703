"""The Entities area."""

from .platform import EntitiesScreen

__all__ = ["EntitiesScreen"]
