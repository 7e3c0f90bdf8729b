"""Keras 3 layers and block builders used by the exercises."""
