from enum import StrEnum


class LedgerAccountKind(StrEnum):
    PREPAID = "prepaid"
    PROMOTIONAL_CREDIT = "promotional-credit"
    PROMOTIONS_EXPENSE = "promotions-expense"
    RECEIVABLE = "receivable"
    REVENUE = "revenue"

    def __str__(self) -> str:
        return str(self.value)
