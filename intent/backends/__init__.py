"""Backends answer one chat request with one JSON reply. See `base.Backend`."""
