"""The HTTP API (FastAPI): a thin adapter over the store and the stage packages.

Versioned under ``/v1``; OpenAPI at ``/openapi.json`` and offline Swagger UI at ``/docs``.
Keys, roles and tenants in ``auth``; errors as RFC 9457 problem+json in ``problems``. The
contract is written down in docs/api.md.
"""

from silkhub.api.app import create_app, create_app_from_env
from silkhub.api.auth import authenticated, require
from silkhub.api.problems import PROBLEM_MEDIA_TYPE, ProblemError
from silkhub.api.quotes import QUOTE_ROLES

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "QUOTE_ROLES",
    "ProblemError",
    "authenticated",
    "create_app",
    "create_app_from_env",
    "require",
]
