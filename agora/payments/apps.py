from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "agora.payments"
    label = "payments"

    def ready(self) -> None:
        # Money follows the order, inside its transition's transaction: orders sit below payments and
        # import nothing of them, so payments registers its ledger movements with the order state
        # machine (imported here, not at the top: models are not loaded when this module is).
        from agora.orders.state import on_transition
        from agora.payments import ledger

        on_transition("confirm_receipt", "auto_confirm", run=ledger.record_release)
        on_transition("approve_refund", run=ledger.record_approved_refund)
