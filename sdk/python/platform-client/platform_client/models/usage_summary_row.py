from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="UsageSummaryRow")


@_attrs_define
class UsageSummaryRow:
    """
    Attributes:
        amount (Money):
        display_quantity (str):
        events (int):
        group (str):
        quantity (int):
        unit (str):
    """

    amount: Money
    display_quantity: str
    events: int
    group: str
    quantity: int
    unit: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount.to_dict()

        display_quantity = self.display_quantity

        events = self.events

        group = self.group

        quantity = self.quantity

        unit = self.unit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "displayQuantity": display_quantity,
                "events": events,
                "group": group,
                "quantity": quantity,
                "unit": unit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        amount = Money.from_dict(d.pop("amount"))

        display_quantity = d.pop("displayQuantity")

        events = d.pop("events")

        group = d.pop("group")

        quantity = d.pop("quantity")

        unit = d.pop("unit")

        usage_summary_row = cls(
            amount=amount,
            display_quantity=display_quantity,
            events=events,
            group=group,
            quantity=quantity,
            unit=unit,
        )

        usage_summary_row.additional_properties = d
        return usage_summary_row

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
