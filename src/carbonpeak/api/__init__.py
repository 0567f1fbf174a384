"""The REST API (FastAPI): thin routes over the services, documented at /docs and /openapi.json."""
