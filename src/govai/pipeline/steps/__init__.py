"""Pipeline steps. Importing this package registers every step by name."""

from govai.pipeline.steps import (  # noqa: F401
    audit,
    check_citations,
    check_evidence,
    check_output,
    compose,
    normalise,
    pseudonymise,
    retrieve,
    reidentify,
    review,
    route,
    scope,
    screen_input,
    screen_sources,
    security_marking,
)
