from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.flag_evaluation import FlagEvaluation
    from ..models.policy_placement import PolicyPlacement
    from ..models.policy_snapshot_stamp import PolicySnapshotStamp


T = TypeVar("T", bound="ProjectFlags")


@_attrs_define
class ProjectFlags:
    """
    Attributes:
        flags (list[FlagEvaluation]):
        placement (PolicyPlacement):
        snapshot (PolicySnapshotStamp):
    """

    flags: list[FlagEvaluation]
    placement: PolicyPlacement
    snapshot: PolicySnapshotStamp
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        flags = []
        for flags_item_data in self.flags:
            flags_item = flags_item_data.to_dict()
            flags.append(flags_item)

        placement = self.placement.to_dict()

        snapshot = self.snapshot.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "flags": flags,
                "placement": placement,
                "snapshot": snapshot,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.flag_evaluation import FlagEvaluation  # noqa: PLC0415
        from ..models.policy_placement import PolicyPlacement  # noqa: PLC0415
        from ..models.policy_snapshot_stamp import PolicySnapshotStamp  # noqa: PLC0415

        d = dict(src_dict)
        flags = []
        _flags = d.pop("flags")
        for flags_item_data in _flags:
            flags_item = FlagEvaluation.from_dict(flags_item_data)

            flags.append(flags_item)

        placement = PolicyPlacement.from_dict(d.pop("placement"))

        snapshot = PolicySnapshotStamp.from_dict(d.pop("snapshot"))

        project_flags = cls(
            flags=flags,
            placement=placement,
            snapshot=snapshot,
        )

        project_flags.additional_properties = d
        return project_flags

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
