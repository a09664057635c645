"""manage.py token create USERNAME [--scopes "read write follow"] | token revoke TOKEN"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agora.accounts.models import User
from agora.core.errors import AgoraError
from agora.platform.actions import cli_application, do_issue_token, do_revoke_token


class Command(BaseCommand):
    help = "Create or revoke API access tokens (for scripts, tests and the `agora` CLI)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Print a new access token for USERNAME.")
        create.add_argument("username")
        create.add_argument(
            "--scopes",
            default="read write follow",
            help='Space-separated scopes (default: "read write follow").',
        )
        revoke = sub.add_parser("revoke", help="Revoke an access token.")
        revoke.add_argument("token")

    def handle(self, *args, **options) -> None:
        if options["action"] == "create":
            user = User.objects.filter(
                username__iexact=options["username"].lstrip("@"), is_active=True
            ).first()
            if user is None:
                raise CommandError(f"No active user @{options['username'].lstrip('@')}.")
            try:
                tok = do_issue_token(user, cli_application(), scope=options["scopes"])
            except AgoraError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(tok.token)
        elif not do_revoke_token(options["token"]):
            raise CommandError("No such token (already revoked or expired?).")
        else:
            self.stdout.write("revoked")
