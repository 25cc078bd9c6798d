"""`silkhub admin ...`: create organisations (tenants) and API keys on the server's store.

These are operator commands, run on the machine holding the database; the plaintext of a new
key goes to stdout alone (``KEY=$(silkhub admin create-key ...)`` works) and is never stored.
"""

from __future__ import annotations

from typing import Annotated

import typer

from silkhub.cli._common import err, fail, out
from silkhub.cli._store import DataDirOption, settings_or_exit, store_or_exit
from silkhub.store import ApiKeyRepository, OrganisationRepository, Role, utcnow

app = typer.Typer(help="Manage organisations (tenants) and API keys.", no_args_is_help=True)


@app.command("create-org")
def create_org(
    name: Annotated[str, typer.Argument(help="The organisation's name, e.g. 'Henan Cargo Ltd'.")],
    data_dir: DataDirOption = None,
) -> None:
    """Create an organisation (exit 2 if the name is bad or taken)."""
    store = store_or_exit(settings_or_exit(data_dir))
    try:
        with store.write() as session:
            org = OrganisationRepository(session).create(name, utcnow())
            org_id = org.id
    except ValueError as exc:
        fail(str(exc))
    finally:
        store.close()
    out.print(f"created organisation {name!r} (id {org_id})", markup=False)


@app.command("create-key")
def create_key(
    org: Annotated[str, typer.Option("--org", help="Name of the organisation the key is for.")],
    role: Annotated[Role, typer.Option("--role", help="What the key may do.")],
    name: Annotated[str, typer.Option("--name", help="A label to recognise the key by.")] = "",
    data_dir: DataDirOption = None,
) -> None:
    """Create an API key and print it once (only the key goes to stdout)."""
    store = store_or_exit(settings_or_exit(data_dir))
    try:
        with store.write() as session:
            found = OrganisationRepository(session).by_name(org)
            if found is None:
                fail(f"--org: no organisation {org!r} (create it with `silkhub admin create-org`)")
            new = ApiKeyRepository(session).create(found, role, utcnow(), name=name)
    except ValueError as exc:
        fail(str(exc))
    finally:
        store.close()
    err.print(
        f"created a {new.role.value} key for {new.org_name!r}; it is shown only this once:",
        markup=False,
    )
    typer.echo(new.plaintext)
