"""The request-scoped llama-server backend: `child` owns the process, `client` speaks HTTP."""

from intent.backends.llama_server.child import (
    LlamaServer,
    ServerOptions,
    cleanup_stale,
    free_port,
    log_tail,
    scrubbed_env,
)
from intent.backends.llama_server.client import constraint, looping

__all__ = [
    "LlamaServer",
    "ServerOptions",
    "cleanup_stale",
    "constraint",
    "free_port",
    "log_tail",
    "looping",
    "scrubbed_env",
]
