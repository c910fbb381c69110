#!/usr/bin/env python3
"""A partner integration written with an off-the-shelf GraphQL client (Python `gql`).

It signs in, lets the client load the schema with the standard introspection query, has the
client check a query against that schema before sending it, and prints the first accounts.

    pip install "gql[requests]>=3.5,<4"
    CRM_URL=http://127.0.0.1:8080 CRM_EMAIL=manager@demo.crm CRM_PASSWORD=demo1234 \\
        python3 examples/partner/accounts.py
"""

import os
import sys

from gql import Client, gql
from gql.transport.requests import RequestsHTTPTransport
from graphql import GraphQLError

URL = os.environ.get("CRM_URL", "http://127.0.0.1:8080").rstrip("/") + "/graphql"

SIGN_IN = gql(
    """
    mutation SignIn($email: String!, $password: String!) {
      login(input: {email: $email, password: $password}) { token }
    }
    """
)

ACCOUNTS = gql(
    """
    query FirstAccounts($first: Int!) {
      accounts(first: $first) {
        totalCount
        edges { node { id code name } }
      }
    }
    """
)


def main() -> int:
    anonymous = Client(transport=RequestsHTTPTransport(url=URL))
    token = anonymous.execute(
        SIGN_IN,
        variable_values={
            "email": os.environ["CRM_EMAIL"],
            "password": os.environ["CRM_PASSWORD"],
        },
    )["login"]["token"]

    transport = RequestsHTTPTransport(
        url=URL, headers={"Authorization": f"Bearer {token}"}
    )
    # The client fetches the schema by introspection and validates every query against it.
    client = Client(transport=transport, fetch_schema_from_transport=True)
    with client as session:
        result = session.execute(ACCOUNTS, variable_values={"first": 5})
        schema = client.schema
        print(f"schema: {len(schema.type_map)} types, query root {schema.query_type.name}")
        # A misspelt field is caught by the client, before any request is sent.
        try:
            session.execute(gql("{ acounts { totalCount } }"))
            print("a misspelt query was not caught", file=sys.stderr)
            return 1
        except GraphQLError as e:
            print(f"caught before sending: {e.message}")
    print(f"accounts: {result['accounts']['totalCount']}")
    for edge in result["accounts"]["edges"]:
        print(f"{edge['node']['code']}\t{edge['node']['name']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
