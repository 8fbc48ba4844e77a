"""Built-in instrument definitions (TOML), read through importlib.resources."""
