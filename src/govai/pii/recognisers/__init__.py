"""Built-in recognisers. Importing this package registers every one by name."""

from govai.pii.recognisers import address, contact, dates, identifiers, names  # noqa: F401
