"""What happens to a product that apps above the market may want to know, published after commit
(agora/core/events.py). Boards subscribes: a wished product's price drop or return to stock tells its
wishers (agora/boards/apps.py). Social subscribes to PRODUCT_CHANGED: the cached JSON of the posts
that carry the product is dropped, so their cards show the new price or listing at once
(agora/social/apps.py). The catalog imports nothing of them."""

from agora.core.events import Event

# (product id, change id): the change id is a fresh snowflake per change, so a subscriber run twice
# for the same change can tell it has already acted on it.
PRICE_DROPPED = Event("catalog.price_dropped")
BACK_IN_STOCK = Event("catalog.back_in_stock")

# (product id): its seller changed it (title, pictures, price, variants, stock by hand) or delisted it.
# Checkout, payments and reviews change stock, sales and ratings without it: readers that cache those
# bound their age by a TTL (docs/architecture.md, "Product cards").
PRODUCT_CHANGED = Event("catalog.product_changed")
