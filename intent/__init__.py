"""intent: plain English to a guarded shell command, with a local model."""

__version__ = "0.1.0"
