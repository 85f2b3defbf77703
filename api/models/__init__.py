"""Request bodies as pydantic models, with the field names of the platform's OpenAPI files."""
