"""Settings: config.toml, the directory layout, shell rc files. Nothing happens at import."""
