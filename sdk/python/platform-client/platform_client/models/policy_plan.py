from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.policy_plan_values import PolicyPlanValues


T = TypeVar("T", bound="PolicyPlan")


@_attrs_define
class PolicyPlan:
    """
    Attributes:
        description (str):
        plan_id (str):
        values (PolicyPlanValues):
    """

    description: str
    plan_id: str
    values: PolicyPlanValues
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        plan_id = self.plan_id

        values = self.values.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
                "plan_id": plan_id,
                "values": values,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_plan_values import PolicyPlanValues  # noqa: PLC0415

        d = dict(src_dict)
        description = d.pop("description")

        plan_id = d.pop("plan_id")

        values = PolicyPlanValues.from_dict(d.pop("values"))

        policy_plan = cls(
            description=description,
            plan_id=plan_id,
            values=values,
        )

        policy_plan.additional_properties = d
        return policy_plan

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
