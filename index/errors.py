"""The project's exception tree. Messages say what to do; the CLI and web layers translate them."""


class AssistantError(Exception):
    """Base class for every error the assistant reports to a person."""


class DocumentError(AssistantError):
    """A corpus file cannot be read as a document (it is skipped and reported, never fatal)."""


class ModelError(AssistantError):
    """The embedding model is missing or is not the model it claims to be."""


class IndexNotFoundError(AssistantError):
    """No built index where one was expected."""


class IndexMismatchError(AssistantError):
    """The index on disk was built with another model or other chunker settings."""


class IndexCorruptError(AssistantError):
    """The index on disk cannot be read."""


class BuildLockedError(AssistantError):
    """Another build holds the index lock."""


class SettingsError(AssistantError, ValueError):
    """A setting has a value that cannot work."""


class IndexWriteError(AssistantError):
    """A new index version could not be written (a full disk, no permission); the current one is kept."""
