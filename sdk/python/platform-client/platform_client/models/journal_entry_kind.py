from enum import StrEnum


class JournalEntryKind(StrEnum):
    CHARGE = "charge"
    CREDIT_GRANT = "credit-grant"
    REVERSAL = "reversal"

    def __str__(self) -> str:
        return str(self.value)
