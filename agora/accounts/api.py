from django.http import HttpRequest
from ninja import Router

from agora.accounts.serializers import account_json
from agora.api.auth import token

router = Router(tags=["accounts"])


@router.get("/v1/accounts/verify_credentials", auth=token("read:accounts"))
def verify_credentials(request: HttpRequest) -> dict:
    return account_json(request.user)  # type: ignore[arg-type]
