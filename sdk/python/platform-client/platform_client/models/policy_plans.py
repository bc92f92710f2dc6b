from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.policy_definition import PolicyDefinition
    from ..models.policy_plan import PolicyPlan
    from ..models.policy_snapshot_stamp import PolicySnapshotStamp


T = TypeVar("T", bound="PolicyPlans")


@_attrs_define
class PolicyPlans:
    """
    Attributes:
        default_plan (str):
        definitions (list[PolicyDefinition]):
        plans (list[PolicyPlan]):
        snapshot (PolicySnapshotStamp):
    """

    default_plan: str
    definitions: list[PolicyDefinition]
    plans: list[PolicyPlan]
    snapshot: PolicySnapshotStamp
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default_plan = self.default_plan

        definitions = []
        for definitions_item_data in self.definitions:
            definitions_item = definitions_item_data.to_dict()
            definitions.append(definitions_item)

        plans = []
        for plans_item_data in self.plans:
            plans_item = plans_item_data.to_dict()
            plans.append(plans_item)

        snapshot = self.snapshot.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "defaultPlan": default_plan,
                "definitions": definitions,
                "plans": plans,
                "snapshot": snapshot,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_definition import PolicyDefinition  # noqa: PLC0415
        from ..models.policy_plan import PolicyPlan  # noqa: PLC0415
        from ..models.policy_snapshot_stamp import PolicySnapshotStamp  # noqa: PLC0415

        d = dict(src_dict)
        default_plan = d.pop("defaultPlan")

        definitions = []
        _definitions = d.pop("definitions")
        for definitions_item_data in _definitions:
            definitions_item = PolicyDefinition.from_dict(definitions_item_data)

            definitions.append(definitions_item)

        plans = []
        _plans = d.pop("plans")
        for plans_item_data in _plans:
            plans_item = PolicyPlan.from_dict(plans_item_data)

            plans.append(plans_item)

        snapshot = PolicySnapshotStamp.from_dict(d.pop("snapshot"))

        policy_plans = cls(
            default_plan=default_plan,
            definitions=definitions,
            plans=plans,
            snapshot=snapshot,
        )

        policy_plans.additional_properties = d
        return policy_plans

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
