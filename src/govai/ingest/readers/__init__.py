"""Built-in ingest sources; importing this package registers them."""

from govai.ingest.readers import govuk, legislation  # noqa: F401
