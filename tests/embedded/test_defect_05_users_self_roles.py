"""Defect 5: a user gave itself roles by editing its own `_users` doc (express-pouchdb made it an
admin while it touched its own doc).

CouchDB: a user may update its own doc (e.g. its password) but "Only _admin may edit roles": 403.
"""

from __future__ import annotations

import httpx

from tests.utils.access import new_user
from tests.utils.couch import CouchTarget


def test_user_cannot_add_roles_to_itself(couch: CouchTarget, admin: httpx.Client) -> None:
    name, password = new_user(admin)
    doc_path = f"/_users/org.couchdb.user:{name}"
    with couch.client(auth=(name, password)) as me:
        doc = me.get(doc_path).json()
        doc["roles"] = ["dbowner"]
        r = me.put(doc_path, json=doc)
        assert r.status_code == 403, r.text
        assert me.get("/_session").json()["userCtx"]["roles"] == []
    assert admin.get(doc_path).json()["roles"] == []


def test_user_can_still_change_its_own_password(couch: CouchTarget, admin: httpx.Client) -> None:
    name, password = new_user(admin)
    doc_path = f"/_users/org.couchdb.user:{name}"
    with couch.client(auth=(name, password)) as me:
        doc = me.get(doc_path).json()
        doc["password"] = "a-new-password"
        assert me.put(doc_path, json=doc).status_code in (201, 202)
    with couch.client(auth=(name, "a-new-password")) as me:
        assert me.get("/_session").json()["userCtx"]["name"] == name
