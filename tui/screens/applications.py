"""The Applications area."""

from .platform import ApplicationsScreen

__all__ = ["ApplicationsScreen"]
