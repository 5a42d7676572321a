"""The orchestrator's health check reaches `/_up` without credentials, while everything else on
the server needs them (`couchdb/local.ini` on Apache CouchDB, the same rule on the embedded one)."""


def test_up_answers_anonymously_and_the_root_does_not(anon):
    assert anon.get("/_up").status_code == 200
    assert anon.get("/").status_code == 401
    assert anon.get("/_all_dbs").status_code == 401
