"""Organisations, API keys (hash only, shown once) and tenant-scoped repositories."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from silkhub.store import (
    ApiKeyRepository,
    OrganisationRepository,
    QuoteRepository,
    QuoteRow,
    Role,
    Store,
    create_demo_org,
    hash_key,
    utcnow,
)
from silkhub.store.tables import ApiKeyRow


def test_key_is_stored_as_hash_only(empty_store: Store) -> None:
    """The database holds the SHA-256 of the key and its prefix, never the key itself."""
    with empty_store.session() as session:
        org = OrganisationRepository(session).create("Henan Cargo", utcnow())
        new = ApiKeyRepository(session).create(org, Role.SHIPPER, utcnow(), name="ops")
    with empty_store.session() as session:
        row = session.scalars(select(ApiKeyRow)).one()
        stored = [str(v) for v in (row.prefix, row.key_hash, row.name, row.role)]
    assert new.plaintext.startswith(f"shk_{new.prefix}_")
    assert row.key_hash == hash_key(new.plaintext)
    assert all(new.plaintext not in value for value in stored)


def test_authenticate_finds_the_caller_and_refuses_the_rest(empty_store: Store) -> None:
    """A good key names its organisation and role; wrong, malformed and revoked ones do not."""
    with empty_store.session() as session:
        org = OrganisationRepository(session).create("Henan Cargo", utcnow())
        new = ApiKeyRepository(session).create(org, Role.PLANNER, utcnow())
    with empty_store.session() as session:
        keys = ApiKeyRepository(session)
        caller = keys.authenticate(new.plaintext)
        assert caller is not None
        assert (caller.org_name, caller.role) == ("Henan Cargo", Role.PLANNER)
        tampered = new.plaintext[:-1] + ("A" if new.plaintext[-1] != "A" else "B")
        assert keys.authenticate(tampered) is None
        assert keys.authenticate("not-a-key") is None
        assert keys.authenticate("") is None
        keys.revoke(org.id, new.key_id, utcnow())
    with empty_store.session() as session:
        assert ApiKeyRepository(session).authenticate(new.plaintext) is None


@pytest.mark.parametrize("name", ["", " leading space", "x" * 101, "semi;colon", "new\nline"])
def test_bad_organisation_names_are_refused(empty_store: Store, name: str) -> None:
    """Organisation names are short, printable and start with a letter or digit."""
    with empty_store.session() as session, pytest.raises(ValueError, match="organisation"):
        OrganisationRepository(session).create(name, utcnow())


def test_duplicate_organisation_is_refused(empty_store: Store) -> None:
    """Two organisations cannot share a name."""
    with empty_store.session() as session:
        OrganisationRepository(session).create("Henan Cargo", utcnow())
    with empty_store.session() as session, pytest.raises(ValueError, match="already exists"):
        OrganisationRepository(session).create("Henan Cargo", utcnow())


def test_demo_org_is_created_once(empty_store: Store) -> None:
    """The demo organisation and its admin key appear on the first call only."""
    first = create_demo_org(empty_store)
    assert first is not None
    assert first.role is Role.ADMIN
    assert create_demo_org(empty_store) is None


def test_tenant_repository_sees_only_its_own_rows(empty_store: Store) -> None:
    """A quote of one organisation is invisible, by id and in listings, to another."""
    with empty_store.session() as session:
        orgs = OrganisationRepository(session)
        a = orgs.create("A", utcnow()).id
        b = orgs.create("B", utcnow()).id
        row = QuoteRepository(session, a).add(QuoteRow(request={}, answer={}), utcnow())
        quote_id = row.id
    with empty_store.session() as session:
        assert QuoteRepository(session, a).get(quote_id) is not None
        assert QuoteRepository(session, b).get(quote_id) is None
        assert QuoteRepository(session, a).list(10, 0).total == 1
        assert QuoteRepository(session, b).list(10, 0).total == 0
    assert quote_id.startswith("quo_")
    assert len(quote_id) == 36
