from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.policy_definition import PolicyDefinition
    from ..models.policy_placement import PolicyPlacement
    from ..models.policy_snapshot_stamp import PolicySnapshotStamp
    from ..models.policy_source import PolicySource


T = TypeVar("T", bound="PolicyExplanation")


@_attrs_define
class PolicyExplanation:
    """
    Attributes:
        chain (list[PolicySource]):
        definition (PolicyDefinition):
        placement (PolicyPlacement):
        snapshot (PolicySnapshotStamp):
        winner (PolicySource):
    """

    chain: list[PolicySource]
    definition: PolicyDefinition
    placement: PolicyPlacement
    snapshot: PolicySnapshotStamp
    winner: PolicySource
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chain = []
        for chain_item_data in self.chain:
            chain_item = chain_item_data.to_dict()
            chain.append(chain_item)

        definition = self.definition.to_dict()

        placement = self.placement.to_dict()

        snapshot = self.snapshot.to_dict()

        winner = self.winner.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chain": chain,
                "definition": definition,
                "placement": placement,
                "snapshot": snapshot,
                "winner": winner,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_definition import PolicyDefinition  # noqa: PLC0415
        from ..models.policy_placement import PolicyPlacement  # noqa: PLC0415
        from ..models.policy_snapshot_stamp import PolicySnapshotStamp  # noqa: PLC0415
        from ..models.policy_source import PolicySource  # noqa: PLC0415

        d = dict(src_dict)
        chain = []
        _chain = d.pop("chain")
        for chain_item_data in _chain:
            chain_item = PolicySource.from_dict(chain_item_data)

            chain.append(chain_item)

        definition = PolicyDefinition.from_dict(d.pop("definition"))

        placement = PolicyPlacement.from_dict(d.pop("placement"))

        snapshot = PolicySnapshotStamp.from_dict(d.pop("snapshot"))

        winner = PolicySource.from_dict(d.pop("winner"))

        policy_explanation = cls(
            chain=chain,
            definition=definition,
            placement=placement,
            snapshot=snapshot,
            winner=winner,
        )

        policy_explanation.additional_properties = d
        return policy_explanation

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
