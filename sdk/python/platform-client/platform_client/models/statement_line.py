from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="StatementLine")


@_attrs_define
class StatementLine:
    """
    Attributes:
        amount (Money):
        app (str):
        charges (int):
        display_quantity (str):
        project (str):
        quantity (int):
        unit (str):
        adjustment_for (None | str | Unset): A calendar month in UTC, `YYYY-MM`.
    """

    amount: Money
    app: str
    charges: int
    display_quantity: str
    project: str
    quantity: int
    unit: str
    adjustment_for: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount.to_dict()

        app = self.app

        charges = self.charges

        display_quantity = self.display_quantity

        project = self.project

        quantity = self.quantity

        unit = self.unit

        adjustment_for: None | str | Unset
        if isinstance(self.adjustment_for, Unset):
            adjustment_for = UNSET
        else:
            adjustment_for = self.adjustment_for

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "app": app,
                "charges": charges,
                "displayQuantity": display_quantity,
                "project": project,
                "quantity": quantity,
                "unit": unit,
            }
        )
        if adjustment_for is not UNSET:
            field_dict["adjustmentFor"] = adjustment_for

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        amount = Money.from_dict(d.pop("amount"))

        app = d.pop("app")

        charges = d.pop("charges")

        display_quantity = d.pop("displayQuantity")

        project = d.pop("project")

        quantity = d.pop("quantity")

        unit = d.pop("unit")

        def _parse_adjustment_for(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        adjustment_for = _parse_adjustment_for(d.pop("adjustmentFor", UNSET))

        statement_line = cls(
            amount=amount,
            app=app,
            charges=charges,
            display_quantity=display_quantity,
            project=project,
            quantity=quantity,
            unit=unit,
            adjustment_for=adjustment_for,
        )

        statement_line.additional_properties = d
        return statement_line

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
