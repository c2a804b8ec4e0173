"""The bundled demo library: real listings as users paste them, imported on first use."""
