"""Organisations (tenants), their API keys and the roles a key carries.

A key is ``shk_<prefix>_<secret>``: the prefix finds the row, the secret proves possession.
Only the SHA-256 of the whole key is stored. A slow password hash (bcrypt, Argon2) protects
*guessable* secrets; a key holds 256 random bits, which no one can guess, so a fast hash loses
nothing and keeps the per-request check to microseconds. The plaintext exists once, in the
answer to whoever created it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from silkhub.store.tables import ApiKeyRow, OrganisationRow

__all__ = [
    "KEY_PATTERN",
    "ORG_NAME_PATTERN",
    "ApiKeyRepository",
    "Caller",
    "NewKey",
    "OrganisationRepository",
    "Role",
    "hash_key",
]

#: Organisation names: ASCII letters, digits, space, dot, dash, underscore; 1..100 characters.
ORG_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")
#: The shape of a key; anything else is refused before the database is asked.
KEY_PATTERN = re.compile(r"^shk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


class Role(StrEnum):
    """What a key may do; each endpoint names the roles it admits (see docs/api.md)."""

    SHIPPER = "shipper"
    FORWARDER = "forwarder"
    CUSTOMS_OFFICER = "customs_officer"
    TERMINAL_OPERATOR = "terminal_operator"
    PLANNER = "planner"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: the key's organisation and role (never the key itself)."""

    org_id: int
    org_name: str
    role: Role
    key_id: int


@dataclass(frozen=True, slots=True)
class NewKey:
    """A freshly created key: ``plaintext`` is shown once and never stored."""

    key_id: int
    org_name: str
    role: Role
    name: str
    prefix: str
    plaintext: str
    created_at: datetime


def hash_key(plaintext: str) -> str:
    """The stored form of a key: SHA-256 hex of its full text."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


class OrganisationRepository:
    """Create and find organisations."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, name: str, now: datetime) -> OrganisationRow:
        """A new organisation; raises ``ValueError`` on a bad or taken name."""
        if not ORG_NAME_PATTERN.fullmatch(name):
            raise ValueError(
                "organisation names are 1-100 ASCII letters (A-Z, a-z), digits, spaces, '.', '-' or '_', "
                f"starting with a letter or digit (got {name!r})"
            )
        if self.by_name(name) is not None:
            raise ValueError(f"organisation {name!r} already exists")
        row = OrganisationRow(name=name, created_at=now)
        self.session.add(row)
        self.session.flush()
        return row

    def by_name(self, name: str) -> OrganisationRow | None:
        """The organisation called ``name``, or ``None``."""
        return self.session.scalars(
            select(OrganisationRow).where(OrganisationRow.name == name)
        ).first()

    def get(self, org_id: int) -> OrganisationRow | None:
        """The organisation with id ``org_id``, or ``None``."""
        return self.session.get(OrganisationRow, org_id)

    def all(self) -> list[OrganisationRow]:
        """Every organisation, by name."""
        return list(self.session.scalars(select(OrganisationRow).order_by(OrganisationRow.name)))


class ApiKeyRepository:
    """Create, check, list and revoke API keys."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, org: OrganisationRow, role: Role, now: datetime, name: str = "") -> NewKey:
        """A new key for ``org`` with ``role``; the plaintext is in the result only."""
        if len(name) > 100:
            raise ValueError("key names are at most 100 characters")
        role = Role(role)
        while True:
            prefix = secrets.token_hex(6)
            taken = self.session.scalar(select(ApiKeyRow.id).where(ApiKeyRow.prefix == prefix))
            if taken is None:
                break
        plaintext = f"shk_{prefix}_{secrets.token_urlsafe(32)}"
        row = ApiKeyRow(
            org_id=org.id,
            prefix=prefix,
            key_hash=hash_key(plaintext),
            role=role.value,
            name=name,
            created_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return NewKey(row.id, org.name, role, name, prefix, plaintext, now)

    def authenticate(self, plaintext: str) -> Caller | None:
        """The caller a key belongs to, or ``None`` for an unknown, malformed or revoked key."""
        match = KEY_PATTERN.fullmatch(plaintext)
        if match is None:
            return None
        found = self.session.execute(
            select(ApiKeyRow, OrganisationRow)
            .join(OrganisationRow, OrganisationRow.id == ApiKeyRow.org_id)
            .where(ApiKeyRow.prefix == match.group(1), ApiKeyRow.revoked_at.is_(None))
        ).first()
        if found is None:
            return None
        key, org = found
        if not hmac.compare_digest(key.key_hash, hash_key(plaintext)):
            return None
        return Caller(org_id=org.id, org_name=org.name, role=Role(key.role), key_id=key.id)

    def of_org(self, org_id: int) -> list[ApiKeyRow]:
        """The keys of one organisation (revoked ones too), oldest first."""
        return list(
            self.session.scalars(
                select(ApiKeyRow).where(ApiKeyRow.org_id == org_id).order_by(ApiKeyRow.id)
            )
        )

    def get(self, org_id: int, key_id: int) -> ApiKeyRow | None:
        """Key ``key_id`` if it belongs to ``org_id`` (another tenant's key is ``None``)."""
        return self.session.scalars(
            select(ApiKeyRow).where(ApiKeyRow.org_id == org_id, ApiKeyRow.id == key_id)
        ).first()

    def revoke(self, org_id: int, key_id: int, now: datetime) -> ApiKeyRow | None:
        """Revoke a key of ``org_id``; ``None`` if it has no such key. Revoking twice is a no-op."""
        row = self.get(org_id, key_id)
        if row is not None and row.revoked_at is None:
            row.revoked_at = now
            self.session.flush()
        return row
