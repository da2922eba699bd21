"""GovAI: grounded, guarded, sovereign AI assistants for UK public services."""

__version__ = "0.1.0"
