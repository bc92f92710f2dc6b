from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.account_balance import AccountBalance
    from ..models.money import Money


T = TypeVar("T", bound="BalanceReport")


@_attrs_define
class BalanceReport:
    """
    Attributes:
        accounts (list[AccountBalance]):
        age_seconds (int):
        as_of (datetime.datetime):
        available (Money):
        stale (bool):
        tenant (str):
        through_seq (int):
    """

    accounts: list[AccountBalance]
    age_seconds: int
    as_of: datetime.datetime
    available: Money
    stale: bool
    tenant: str
    through_seq: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accounts = []
        for accounts_item_data in self.accounts:
            accounts_item = accounts_item_data.to_dict()
            accounts.append(accounts_item)

        age_seconds = self.age_seconds

        as_of = self.as_of.isoformat()

        available = self.available.to_dict()

        stale = self.stale

        tenant = self.tenant

        through_seq = self.through_seq

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accounts": accounts,
                "ageSeconds": age_seconds,
                "asOf": as_of,
                "available": available,
                "stale": stale,
                "tenant": tenant,
                "throughSeq": through_seq,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account_balance import AccountBalance  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        accounts = []
        _accounts = d.pop("accounts")
        for accounts_item_data in _accounts:
            accounts_item = AccountBalance.from_dict(accounts_item_data)

            accounts.append(accounts_item)

        age_seconds = d.pop("ageSeconds")

        as_of = datetime.datetime.fromisoformat(d.pop("asOf"))

        available = Money.from_dict(d.pop("available"))

        stale = d.pop("stale")

        tenant = d.pop("tenant")

        through_seq = d.pop("throughSeq")

        balance_report = cls(
            accounts=accounts,
            age_seconds=age_seconds,
            as_of=as_of,
            available=available,
            stale=stale,
            tenant=tenant,
            through_seq=through_seq,
        )

        balance_report.additional_properties = d
        return balance_report

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
