"""HTTP side of the assistant: the FastAPI app, its routes, the chat page and the source view."""
