"""Build side of the assistant: corpus -> text -> chunks -> embeddings -> stored index."""

__version__ = "0.1.0"
