from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.budget_scope import BudgetScope

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Budget")


@_attrs_define
class Budget:
    """
    Attributes:
        limit (Money):
        scope (BudgetScope):
        target (str):
        tenant (str):
        thresholds (list[int]):
        updated_at (datetime.datetime):
        updated_by (str):
    """

    limit: Money
    scope: BudgetScope
    target: str
    tenant: str
    thresholds: list[int]
    updated_at: datetime.datetime
    updated_by: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        limit = self.limit.to_dict()

        scope = self.scope.value

        target = self.target

        tenant = self.tenant

        thresholds = self.thresholds

        updated_at = self.updated_at.isoformat()

        updated_by = self.updated_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "limit": limit,
                "scope": scope,
                "target": target,
                "tenant": tenant,
                "thresholds": thresholds,
                "updatedAt": updated_at,
                "updatedBy": updated_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        limit = Money.from_dict(d.pop("limit"))

        scope = BudgetScope(d.pop("scope"))

        target = d.pop("target")

        tenant = d.pop("tenant")

        thresholds = cast(list[int], d.pop("thresholds"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        updated_by = d.pop("updatedBy")

        budget = cls(
            limit=limit,
            scope=scope,
            target=target,
            tenant=tenant,
            thresholds=thresholds,
            updated_at=updated_at,
            updated_by=updated_by,
        )

        budget.additional_properties = d
        return budget

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
