from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.budget import Budget
    from ..models.money import Money


T = TypeVar("T", bound="BudgetStatus")


@_attrs_define
class BudgetStatus:
    """
    Attributes:
        budget (Budget):
        crossed (list[int]):
        percent (int):
        period (str): A calendar month in UTC, `YYYY-MM`.
        spent (Money):
        exhausted_at (datetime.datetime | None | Unset):
    """

    budget: Budget
    crossed: list[int]
    percent: int
    period: str
    spent: Money
    exhausted_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        budget = self.budget.to_dict()

        crossed = self.crossed

        percent = self.percent

        period = self.period

        spent = self.spent.to_dict()

        exhausted_at: None | str | Unset
        if isinstance(self.exhausted_at, Unset):
            exhausted_at = UNSET
        elif isinstance(self.exhausted_at, datetime.datetime):
            exhausted_at = self.exhausted_at.isoformat()
        else:
            exhausted_at = self.exhausted_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "budget": budget,
                "crossed": crossed,
                "percent": percent,
                "period": period,
                "spent": spent,
            }
        )
        if exhausted_at is not UNSET:
            field_dict["exhaustedAt"] = exhausted_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget import Budget  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        budget = Budget.from_dict(d.pop("budget"))

        crossed = cast(list[int], d.pop("crossed"))

        percent = d.pop("percent")

        period = d.pop("period")

        spent = Money.from_dict(d.pop("spent"))

        def _parse_exhausted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                exhausted_at_type_0 = datetime.datetime.fromisoformat(data)

                return exhausted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        exhausted_at = _parse_exhausted_at(d.pop("exhaustedAt", UNSET))

        budget_status = cls(
            budget=budget,
            crossed=crossed,
            percent=percent,
            period=period,
            spent=spent,
            exhausted_at=exhausted_at,
        )

        budget_status.additional_properties = d
        return budget_status

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
