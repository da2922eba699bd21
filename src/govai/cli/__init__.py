"""The ``govai`` command line."""
