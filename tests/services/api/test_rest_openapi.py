"""The REST API over a shop's data is in the OpenAPI document, with no invoice write."""

REST_PATHS = {
    ("get", "/v1/groups"),
    ("post", "/v1/groups"),
    ("get", "/v1/groups/{group_uuid}"),
    ("patch", "/v1/groups/{group_uuid}"),
    ("delete", "/v1/groups/{group_uuid}"),
    ("get", "/v1/items"),
    ("post", "/v1/items"),
    ("get", "/v1/items/{item_uuid}"),
    ("patch", "/v1/items/{item_uuid}"),
    ("delete", "/v1/items/{item_uuid}"),
    ("get", "/v1/customers/{phone}"),
    ("put", "/v1/customers/{phone}"),
    ("post", "/v1/sales"),
    ("get", "/v1/sales/{sale_uuid}"),
    ("post", "/v1/sales/{sale_uuid}/payments"),
    ("get", "/v1/invoices"),
    ("get", "/v1/invoices/{sale_uuid}"),
    ("get", "/v1/invoices/{sale_uuid}/print"),
    ("post", "/v1/invoices/{sale_uuid}/credit-notes"),
    ("get", "/v1/invoices/{sale_uuid}/credit-notes"),
    ("get", "/v1/invoices/{sale_uuid}/credit-notes/{note_uuid}/print"),
    ("get", "/v1/exports/invoices.csv"),
    ("get", "/v1/exports/items.csv"),
    ("get", "/v1/exports/gstr1.csv"),
    ("post", "/v1/api-keys"),
    ("get", "/v1/api-keys"),
    ("delete", "/v1/api-keys/{key_id}"),
}


def test_openapi_lists_the_rest_api_and_no_invoice_write(api):
    spec = api.get("/openapi.json").json()
    listed = {(method, path) for path, item in spec["paths"].items() for method in item}
    assert REST_PATHS <= listed
    invoice_writes = {
        (m, p)
        for m, p in listed
        if p.startswith("/v1/invoices/{sale_uuid}")
        and m in ("put", "patch", "delete")
        or (m == "post" and p == "/v1/invoices/{sale_uuid}")
    }
    assert invoice_writes == set()
