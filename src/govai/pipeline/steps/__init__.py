"""Pipeline steps. Importing this package registers every step by name."""

from govai.pipeline.steps import (  # noqa: F401
    check_citations,
    compose,
    normalise,
    retrieve,
)
