"""Errors the simulator answers with: RP API errors and virtual-app (control API) errors."""

from __future__ import annotations


class ApiError(Exception):
    """An RP API error: HTTP status plus BankID's ``{"errorCode", "details"}`` body."""

    def __init__(self, *, status: int, error_code: str, details: str) -> None:
        super().__init__(f"{status} {error_code}: {details}")
        self.status = status
        self.error_code = error_code
        self.details = details


def invalid_parameters(details: str) -> ApiError:
    return ApiError(status=400, error_code="invalidParameters", details=details)


class AppError(Exception):
    """A refusal by the virtual app (control API): HTTP status, a short code and a message."""

    def __init__(self, *, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
