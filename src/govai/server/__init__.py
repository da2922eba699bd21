"""The HTTP service: the service API, the OpenAI-compatible gateway, review, audit and operations."""
