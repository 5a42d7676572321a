"""A REST write of the old device still in flight when a new login answers must not land."""

from __future__ import annotations

from shopbill.services.api.routes import sales
from shopbill.services.api.routes.session import start_device_session
from shopbill.services.identity.accounts import get_account_by_phone
from tests.utils.rest_shop import new_shop, new_uuid


def test_old_devices_sale_in_flight_during_a_new_login_does_not_land(api, sms_file, admin, monkeypatch):
    shop = new_shop(api, sms_file)
    item = shop.item(name="Fuse 10A", unit_price_paise=5000, gst_rate_bp=1800)
    real = sales.create_sale
    answered = {}

    async def slow_sale(couch, **kwargs):
        # The old device's request passed its session check; before it writes, the owner logs
        # in on a new phone and that login is answered.
        answered["login"] = await _login_elsewhere(couch, shop)
        return await real(couch, **kwargs)

    monkeypatch.setattr(sales, "create_sale", slow_sale)
    sale_id = new_uuid()
    r = shop.post(
        "/v1/sales",
        {
            "id": sale_id,
            "customer_phone": "+919812345678",
            "paid_paise": 5000,
            "lines": [{"item_id": item["_id"], "qty_milli": 1000}],
        },
    )
    assert answered["login"]
    assert r.status_code == 401 and r.json()["error"] == "device_replaced", r.text
    assert admin.get(f"/{shop.db}/sale:{sale_id}").status_code == 404


async def _login_elsewhere(couch, shop) -> bool:
    """Log the owner in on another device from inside the running request (same event loop)."""
    account = await get_account_by_phone(couch, shop.owner["phone"])
    settings = shop.api.app.state.server.settings
    await start_device_session(couch, settings, account=account, device_id="new-phone", device_name=None)
    return True
