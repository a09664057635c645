"""What happens to a product that apps above the market may want to know, published after commit
(agora/core/events.py). Boards subscribes: a wished product's price drop or return to stock tells its
wishers (agora/boards/apps.py). The catalog imports nothing of them."""

from agora.core.events import Event

# (product id, change id): the change id is a fresh snowflake per change, so a subscriber run twice
# for the same change can tell it has already acted on it.
PRICE_DROPPED = Event("catalog.price_dropped")
BACK_IN_STOCK = Event("catalog.back_in_stock")
