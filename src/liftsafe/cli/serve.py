"""``liftsafe serve``: run the web app with uvicorn."""

from __future__ import annotations

from pathlib import Path

import typer


def serve(
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Interface to listen on (0.0.0.0 for every interface)."
    ),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    db: str | None = typer.Option(
        None, "--db", help="Database URL (default: $LIFTSAFE_DATABASE_URL or the user SQLite file)."
    ),
    data_dir: Path | None = typer.Option(
        None,
        "--data-dir",
        help="Folder for uploads, reports and annotated videos (default: $LIFTSAFE_DATA_DIR or the user "
             "data folder).",
    ),
    max_upload_mb: float | None = typer.Option(
        None, "--max-upload-mb", min=1, help="Largest accepted upload in MB (default 200)."
    ),
) -> None:
    """Start the web app (analyse lifts, train, workplace risk) at http://HOST:PORT."""
    import os

    import uvicorn

    from liftsafe.web.app import create_app
    from liftsafe.web.files import PRIVATE_UMASK
    from liftsafe.web.settings import Settings

    os.umask(PRIVATE_UMASK)  # uploads, reports, videos and the SQLite file: owner-only (0600 / 0700)
    settings = Settings.from_env(database_url=db, data_dir=data_dir, max_upload_mb=max_upload_mb)
    app = create_app(settings)
    typer.echo(f"liftsafe web app on http://{host}:{port}  (data in {settings.data_dir}; Ctrl+C stops)")
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the root app."""
    app.command("serve")(serve)
