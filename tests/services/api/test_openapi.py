ACCOUNT_PATHS = {
    ("post", "/v1/signup/otp"),
    ("post", "/v1/signup/verify"),
    ("post", "/v1/signup/complete"),
    ("post", "/v1/login"),
    ("post", "/v1/token/refresh"),
    ("post", "/v1/logout"),
    ("get", "/v1/me"),
    ("post", "/v1/password/change"),
    ("post", "/v1/password/reset/otp"),
    ("post", "/v1/password/reset/complete"),
    ("post", "/v1/phone/change/otp"),
    ("post", "/v1/phone/change/complete"),
    ("get", "/v1/account/export"),
    ("post", "/v1/account/delete/otp"),
    ("post", "/v1/account/delete"),
    ("get", "/v1/invoices/{sale_uuid}"),
}


def test_openapi_lists_every_accounts_endpoint(api):
    spec = api.get("/openapi.json").json()
    listed = {(method, path) for path, item in spec["paths"].items() for method in item}
    assert ACCOUNT_PATHS <= listed
    assert api.get("/docs").status_code == 200


def test_unknown_paths_answer_json(api):
    r = api.get("/v1/nope")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
