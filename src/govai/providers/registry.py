"""Provider kinds register on import; names resolve through the provider file.

``build_provider(catalogue, name)`` is what the runtime calls: the name is looked
up in the catalogue (the YAML provider file, or the built-in default), and the
entry's kind builds the provider.
"""

from __future__ import annotations

from govai.providers import extractive, llama_cpp, openai_compat  # noqa: F401  (register kinds)
from govai.providers.base import Provider, provider_kinds
from govai.providers.config import Catalogue, ProviderSpec, load_catalogue

__all__ = ["build_provider", "load_catalogue", "spec_provider"]


def spec_provider(spec: ProviderSpec) -> Provider:
    """Build the provider an entry describes."""
    return provider_kinds.get(spec.kind)(spec.name, spec.factory_options())


def build_provider(catalogue: Catalogue, name: str) -> Provider:
    return spec_provider(catalogue.get(name))
