from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.policy_placement import PolicyPlacement
    from ..models.policy_snapshot_stamp import PolicySnapshotStamp
    from ..models.project_policy_value import ProjectPolicyValue


T = TypeVar("T", bound="ProjectPolicies")


@_attrs_define
class ProjectPolicies:
    """
    Attributes:
        placement (PolicyPlacement):
        policies (list[ProjectPolicyValue]):
        snapshot (PolicySnapshotStamp):
    """

    placement: PolicyPlacement
    policies: list[ProjectPolicyValue]
    snapshot: PolicySnapshotStamp
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        placement = self.placement.to_dict()

        policies = []
        for policies_item_data in self.policies:
            policies_item = policies_item_data.to_dict()
            policies.append(policies_item)

        snapshot = self.snapshot.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "placement": placement,
                "policies": policies,
                "snapshot": snapshot,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_placement import PolicyPlacement  # noqa: PLC0415
        from ..models.policy_snapshot_stamp import PolicySnapshotStamp  # noqa: PLC0415
        from ..models.project_policy_value import ProjectPolicyValue  # noqa: PLC0415

        d = dict(src_dict)
        placement = PolicyPlacement.from_dict(d.pop("placement"))

        policies = []
        _policies = d.pop("policies")
        for policies_item_data in _policies:
            policies_item = ProjectPolicyValue.from_dict(policies_item_data)

            policies.append(policies_item)

        snapshot = PolicySnapshotStamp.from_dict(d.pop("snapshot"))

        project_policies = cls(
            placement=placement,
            policies=policies,
            snapshot=snapshot,
        )

        project_policies.additional_properties = d
        return project_policies

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
