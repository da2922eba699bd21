"""Composition providers: the offline extractive composer and model endpoints."""

from govai.providers.base import Draft, Provider, provider_kinds

__all__ = ["Draft", "Provider", "provider_kinds"]
