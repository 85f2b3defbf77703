"""Reusable dashboard widgets: tables, forms, confirmations, relations, the explain box."""
