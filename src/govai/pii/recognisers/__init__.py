"""Built-in recognisers. Importing this package registers every one by name."""

from govai.pii.recognisers import (  # noqa: F401
    account_number,
    address,
    boxed,
    contact,
    dates,
    identifiers,
    names,
    sort_code,
    spoken,
    tables,
)
