"""One turn with the model: the engine loop, the prompt, the reply schema and grammar, the model's read-only tools, the answer cache."""
