"""Built-in ingest sources, one module per format; importing this package registers them."""

from govai.ingest.readers import (  # noqa: F401
    docx,
    govuk,
    html,
    legislation,
    legislation_xml,
    markdown,
    pdf,
    text,
)
