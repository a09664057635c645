"""What happens in a trade that one side is told of, published after commit (agora/core/events.py).
The notifications app subscribes (agora/notifications/apps.py); the market imports nothing of it."""

from agora.core.events import Event

# The notices, named as the notifications app lists them (Agora's own types: docs/api.md).
ORDER_PLACED = "agora.order_placed"  # to the seller
ORDER_PAID = "agora.order_paid"  # to the seller
ORDER_SHIPPED = "agora.order_shipped"  # to the buyer
REFUND_REQUESTED = "agora.refund_requested"  # to the seller
REFUND_APPROVED = "agora.refund_approved"  # to the buyer
REFUND_REFUSED = "agora.refund_refused"  # to the buyer
REVIEW_POSTED = "agora.review_posted"  # to the seller

# (kind, [[recipient id, actor id, order id, source id], ...]): the source (the order, its audit row,
# the review) makes each notice once per recipient.
MARKET_NOTICE = Event("market.notice")
