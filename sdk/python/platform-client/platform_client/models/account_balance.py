from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ledger_account_kind import LedgerAccountKind

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="AccountBalance")


@_attrs_define
class AccountBalance:
    """
    Attributes:
        account (str):
        balance (Money):
        credits_posted (int):
        currency (str):
        debits_posted (int):
        kind (LedgerAccountKind):
    """

    account: str
    balance: Money
    credits_posted: int
    currency: str
    debits_posted: int
    kind: LedgerAccountKind
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account = self.account

        balance = self.balance.to_dict()

        credits_posted = self.credits_posted

        currency = self.currency

        debits_posted = self.debits_posted

        kind = self.kind.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account": account,
                "balance": balance,
                "creditsPosted": credits_posted,
                "currency": currency,
                "debitsPosted": debits_posted,
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        account = d.pop("account")

        balance = Money.from_dict(d.pop("balance"))

        credits_posted = d.pop("creditsPosted")

        currency = d.pop("currency")

        debits_posted = d.pop("debitsPosted")

        kind = LedgerAccountKind(d.pop("kind"))

        account_balance = cls(
            account=account,
            balance=balance,
            credits_posted=credits_posted,
            currency=currency,
            debits_posted=debits_posted,
            kind=kind,
        )

        account_balance.additional_properties = d
        return account_balance

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
