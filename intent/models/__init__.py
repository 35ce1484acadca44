"""Models: the catalog, pulling and verifying GGUF files, the Hugging Face hub, the package-index source."""
