"""`/_session` names its authentication db without an `info()` of it per request.

Every authenticated request asked the users db for its info (a walk of its folder) only to learn
its name; the name is now read once. Answers are unchanged, for every caller and every time.
"""

from __future__ import annotations

import httpx


def test_every_session_answer_names_the_authentication_db(admin: httpx.Client, anon: httpx.Client) -> None:
    names = {
        client.get("/_session").json()["info"].get("authentication_db") for _ in range(3) for client in (admin, anon)
    }
    embedded = "express-pouchdb" in admin.get("/").json()
    assert names == {"_users"} if embedded else len(names) == 1
    assert admin.get("/_session").json()["userCtx"]["roles"] == ["_admin"]
