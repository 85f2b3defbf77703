"""The platform's HTTP API over the store (`cpaasx serve`): thin FastAPI routers, one per OpenAPI file.

No Textual here, no SQL: routers translate requests into `store` calls and answers into the files' shapes.
"""
