"""liftsafe.web -- the FastAPI web app (``liftsafe serve``).

``create_app(settings)`` builds the app; routers parse the request, call one service and
return a template or a schema; services (``liftsafe.web.services``) own the transactions;
ORM models live in :mod:`liftsafe.store.web_models`, API schemas in :mod:`.schemas`.
Importing this package has no side effects (the app, database and worker are created by
``create_app``).
"""

from __future__ import annotations


def create_app(settings=None):
    """The FastAPI app (see :func:`liftsafe.web.app.create_app`)."""
    from liftsafe.web.app import create_app as _create

    return _create(settings)


__all__ = ["create_app"]
