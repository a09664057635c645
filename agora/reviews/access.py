"""Permission-checked reads of reviews: none. Reviews are public, like the products they are about
(reviews/selectors.py reads them); what a buyer may review is checked by orders' access_order_line,
the line of their own completed order."""
