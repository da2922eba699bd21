"""Error types. Each message says what went wrong and what to do next."""


class GovAIError(Exception):
    """Base class for every error GovAI raises on purpose."""


class ConfigError(GovAIError):
    """A setting, profile or provider file is missing or invalid."""


class StoreError(GovAIError):
    """The database could not be reached, started or migrated."""


class IngestError(GovAIError):
    """A source could not be read or parsed."""


class UnsupportedSource(IngestError):
    """No ingest source knows how to read this input."""


class ProviderError(GovAIError):
    """A model provider failed (timeout, bad response, refused request)."""


class PolicyRefusal(GovAIError):
    """The request may not be sent to any allowed provider."""
