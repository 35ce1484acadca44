"""llama.cpp: finding the binaries, installing them (package managers or a source build), reading GGUF headers."""
