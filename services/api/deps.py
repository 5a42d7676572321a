"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shopbill.services.api.state import ServerState
from shopbill.services.couch import Couch
from shopbill.services.core.config import Settings


def get_state(request: Request) -> ServerState:
    return request.app.state.server


def get_settings(request: Request) -> Settings:
    return request.app.state.server.settings


def get_couch(request: Request) -> Couch:
    return request.app.state.server.couch


StateDep = Annotated[ServerState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CouchDep = Annotated[Couch, Depends(get_couch)]
