"""What the services learned about the server at start-up, re-checked while it is unreachable."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Literal

from shopbill.services.core.config import Settings
from shopbill.services.couch import Couch
from shopbill.services.ops.probe import ServerProbe, choose_vdu_target, probe_server
from shopbill.services.ops.provision import provision_server

log = logging.getLogger(__name__)


@dataclass
class ServerState:
    """The last probe of the server and whether provisioning has run against it."""

    settings: Settings
    couch: Couch
    probe: ServerProbe = field(default_factory=lambda: ServerProbe(reachable=False))
    provisioned: bool = False
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def vdu_target(self) -> Literal["mango", "js"] | None:
        return choose_vdu_target(self.settings.vdu_target, self.probe)

    async def refresh(self) -> ServerProbe:
        """Probe (and provision) until both have succeeded once; later calls only re-check reach."""
        async with self._lock:
            if self.provisioned and self.probe.reachable:
                self.probe = await self._recheck()
                return self.probe
            self.probe = await probe_server(self.couch)
            if self.probe.reachable and not self.provisioned:
                created = await provision_server(self.couch)
                self.provisioned = True
                if created:
                    log.info("provisioned databases: %s", ", ".join(created))
            return self.probe

    async def _recheck(self) -> ServerProbe:
        probe = self.probe
        try:
            await self.couch.request("GET", "/")
        except Exception as exc:  # any failure means: not reachable now; say why in /healthz
            return ServerProbe(
                reachable=False, version=probe.version, mango_vdu=probe.mango_vdu, detail=f"CouchDB unreachable: {exc}"
            )
        return ServerProbe(reachable=True, version=probe.version, mango_vdu=probe.mango_vdu)
