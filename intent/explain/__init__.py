"""`i explain`: documentation lookup, the token walk, the optional model summary."""
