"""The `agora` command: `manage.py` under a shorter name, plus `serve`, `run` and `config`.

agora serve [--host H] [--port P] [--workers N]   granian (WSGI) serving the site, /static and /media
agora config [--markdown]                          the AGORA_* variables and their values or docs
agora run [--dry-run] ...                          production: web, Celery worker and beat, ASGI,
                                                   supervised, JSON logs (agora/launcher.py)
agora migrate | seed | createsuperuser | token create USER --scopes "read write" | ...
                                                   any manage.py command, passed through unchanged
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from agora.config import AgoraConfig, ConfigError, documentation, documentation_markdown, env_name

SETTINGS_MODULE = "agora.settings"
_URL_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")
USAGE = __doc__ or ""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    try:
        if not args or args == ["help"] or args[0] in {"-h", "--help"}:
            print(USAGE.strip(), end="\n\n", flush=True)
            return manage(["help"])
        if args[0] == "serve":
            return serve(args[1:])
        if args[0] == "config":
            return config(args[1:])
        if args[0] == "run":
            from agora import launcher

            return launcher.main(args[1:])
        return manage(args)
    except ConfigError as exc:
        # A refused setting is the operator's to fix, not a crash: one line, no traceback.
        print(f"agora: {exc}", file=sys.stderr)
        return 2


def manage(args: Sequence[str]) -> int:
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["agora", *args])
    except SystemExit as exc:  # Django exits on CommandError; keep its code for the shell
        return exc.code if isinstance(exc.code, int) else 1
    return 0


def config(args: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="agora config", description="Show the AGORA_* settings.")
    parser.add_argument("--markdown", action="store_true", help="print docs/configuration.md")
    opts = parser.parse_args(args)
    if opts.markdown:
        sys.stdout.write(documentation_markdown())
        return 0
    current = AgoraConfig.from_env()
    current.check()
    for name, _default, _text in documentation():
        field = name.removeprefix("AGORA_").lower()
        value = getattr(current, field)
        if "secret" in field or "password" in field:
            value = "(set)" if value else "(empty)"
        elif isinstance(value, str):
            value = _URL_PASSWORD.sub(r"\1***@", value)  # postgres://user:***@host/db
        print(f"{name}={','.join(value) if isinstance(value, list) else value}")
    return 0


def granian_command(
    cfg: AgoraConfig, *, host: str, port: int, workers: int, threads: int | None = None
) -> list[str]:
    """The granian command line for the site: WSGI (see docs/adr: sync views under ASGI pay a thread
    hop), with static files and local media served by granian itself, before Django is reached."""
    command = [
        sys.executable, "-m", "granian",
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--respawn-failed-workers",
        "--no-ws",
        "--static-path-route", "/static",
        "--static-path-mount", cfg.static_root,
    ]  # fmt: skip
    # Local media is public (post images, avatars) and lives on disk in the embedded profile; with
    # an S3 media URL there is nothing local to serve.
    if cfg.media_url.startswith("/"):
        command += ["--static-path-route", cfg.media_url.rstrip("/"), "--static-path-mount", cfg.media_root]
    if threads:
        # No --backpressure: granian counts open connections against it, idle keep-alive ones
        # included, so a low value leaves browsers and API clients beyond it unanswered (bench/market).
        command += ["--blocking-threads", str(threads)]
    command.append("agora.wsgi:application")
    return command


def make_served_folders(cfg: AgoraConfig) -> None:
    """granian refuses to start when a folder it is to serve is missing (a fresh clone has none)."""
    for folder in (cfg.static_root, cfg.media_root):
        Path(folder).mkdir(parents=True, exist_ok=True)


def serve(args: Sequence[str]) -> int:
    cfg = AgoraConfig.from_env()
    cfg.check()  # refuse before forking workers that would each fail the same way
    parser = argparse.ArgumentParser(prog="agora serve", description="Serve Agora with granian (WSGI).")
    parser.add_argument("--host", default=cfg.web_host, help=f"default {env_name('web_host')} or 127.0.0.1")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", cfg.web_port)),
        help="default $PORT, AGORA_WEB_PORT or 8000",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=cfg.web_workers,
        help="worker processes; default AGORA_WEB_WORKERS or 2",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=cfg.web_threads,
        help="threads per worker; default AGORA_WEB_THREADS or 4",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the granian command and stop")
    opts = parser.parse_args(args)
    make_served_folders(cfg)
    # The workers load the settings themselves: without AGORA_SITE_URL their absolute links (and
    # CSRF trusted origin) follow AGORA_WEB_HOST/PORT, so those must say where this serves.
    os.environ[env_name("web_host")] = opts.host
    os.environ[env_name("web_port")] = str(opts.port)
    command = granian_command(cfg, host=opts.host, port=opts.port, workers=opts.workers, threads=opts.threads)
    if opts.dry_run:
        print(" ".join(command))
        return 0
    site = AgoraConfig.from_env().site_url
    print(f"Agora on {site}/ (granian WSGI on {opts.host}:{opts.port}, {opts.workers} workers)", flush=True)
    os.execv(command[0], command)  # noqa: S606  (replace this process so signals reach granian directly)


if __name__ == "__main__":
    sys.exit(main())
