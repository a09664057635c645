from django.test import Client

from agora.platform.scopes import all_scopes


def test_openapi_document_names_a_scope_for_every_authenticated_operation(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    known = set(all_scopes())
    operations = [
        (path, method, op)
        for path, methods in doc["paths"].items()
        for method, op in methods.items()
        if isinstance(op, dict)
    ]
    assert operations
    secured = [(p, m, op) for p, m, op in operations if op.get("security")]
    assert any(p == "/api/v1/accounts/verify_credentials" for p, _m, _op in secured)
    for path, method, op in secured:
        named = [scope for requirement in op["security"] for scope in requirement.get("OAuth2", [])]
        assert named, f"{method.upper()} {path} requires auth but names no scope"
        assert set(named) <= known, f"{method.upper()} {path} names an unknown scope {named}"
    assert doc["components"]["securitySchemes"]["OAuth2"]["type"] == "oauth2"


def test_optional_auth_operations_allow_anonymous(db):
    doc = Client().get("/api/openapi.json").json()
    security = doc["paths"]["/api/v1/accounts/{account_id}"]["get"]["security"]
    assert {"OAuth2": ["read:accounts"]} in security and {} in security


def test_docs_page_renders(db):
    assert Client().get("/api/docs").status_code == 200
