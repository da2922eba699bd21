"""Text utilities shared by every step: normalisation with offset maps."""
