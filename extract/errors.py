"""Errors that tell the user what went wrong and what to do about it."""
from __future__ import annotations


class ExtractError(Exception):
    """A failure of one input (file or page). Never stops a batch; recorded in `documents`."""

    code = "error"

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class EmptyFile(ExtractError):
    code = "empty_file"


class UnsupportedFile(ExtractError):
    code = "unsupported_file"


class CorruptFile(ExtractError):
    code = "corrupt_file"


class EncryptedPdf(ExtractError):
    code = "encrypted_pdf"


class TooLarge(ExtractError):
    code = "too_large"


class MissingTool(ExtractError):
    code = "missing_tool"
