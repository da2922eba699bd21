"""Built-in ingest sources; importing this package registers them."""

from govai.ingest.readers import govuk, legislation  # noqa: F401
from govai.ingest.readers import files, legislation_xml  # noqa: F401
