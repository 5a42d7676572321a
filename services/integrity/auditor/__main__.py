"""`python -m shopbill.services.integrity.auditor`: run the integrity auditor until SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal

from shopbill.services.core.config import load_settings
from shopbill.services.couch import Couch
from shopbill.services.integrity.auditor.worker import follow
from shopbill.services.ops.provision import provision_server


async def main() -> None:
    settings = load_settings()
    couch = Couch(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    while not stop.is_set():
        try:
            await provision_server(couch)
            break
        except Exception as exc:  # the server may still be starting: say so and retry
            logging.getLogger("auditor").warning("waiting for CouchDB: %s", exc)
            await asyncio.sleep(1)
    task = asyncio.create_task(follow(couch, stop=stop))
    await stop.wait()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await couch.aclose()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    asyncio.run(main())
