"""The request-scoped llama-server backend: `child` owns the process, `client` speaks HTTP."""

from intent.backends.llama_server.child import (
    LlamaServer,
    ServerOptions,
    cleanup_stale,
    free_port,
    log_tail,
    scrubbed_env,
)

__all__ = [
    "LlamaServer",
    "ServerOptions",
    "cleanup_stale",
    "free_port",
    "log_tail",
    "scrubbed_env",
]
