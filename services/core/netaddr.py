"""Trusted proxy addresses (FORWARDED_ALLOW_IPS): a comma-separated list of IPs and CIDRs."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from shopbill.services.errors import SettingsError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_networks(text: str) -> tuple[Network, ...]:
    """The networks of `text` (`"172.30.0.10, 10.0.0.0/8"`); ValueError names a bad entry."""
    networks = []
    for entry in (e.strip() for e in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise SettingsError(f"FORWARDED_ALLOW_IPS: {entry!r} is not an IP address or CIDR") from exc
    return tuple(networks)


def is_trusted(host: str, networks: tuple[Network, ...]) -> bool:
    """Whether `host` (an address as the peer or a header gives it) is in one of `networks`;
    anything that is not an address (`unknown`, a name, garbage) is never trusted."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in networks)
