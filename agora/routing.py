"""WebSocket routes, served by the ASGI process (agora.asgi)."""

websocket_urlpatterns: list = []
