"""Use cases the CLI calls: wiring a backend for a request, doctor."""
