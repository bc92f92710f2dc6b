from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.release_evidence_facts import ReleaseEvidenceFacts


T = TypeVar("T", bound="ReleaseEvidence")


@_attrs_define
class ReleaseEvidence:
    """
    Attributes:
        attached_at (str):
        attached_by (str):
        envelope (str):
        facts (ReleaseEvidenceFacts):
        id (str):
        key_id (str):
        platform_made (bool):
        predicate_type (str):
        signer (str):
        type_ (str):
    """

    attached_at: str
    attached_by: str
    envelope: str
    facts: ReleaseEvidenceFacts
    id: str
    key_id: str
    platform_made: bool
    predicate_type: str
    signer: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attached_at = self.attached_at

        attached_by = self.attached_by

        envelope = self.envelope

        facts = self.facts.to_dict()

        id = self.id

        key_id = self.key_id

        platform_made = self.platform_made

        predicate_type = self.predicate_type

        signer = self.signer

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attachedAt": attached_at,
                "attachedBy": attached_by,
                "envelope": envelope,
                "facts": facts,
                "id": id,
                "keyId": key_id,
                "platformMade": platform_made,
                "predicateType": predicate_type,
                "signer": signer,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.release_evidence_facts import ReleaseEvidenceFacts  # noqa: PLC0415

        d = dict(src_dict)
        attached_at = d.pop("attachedAt")

        attached_by = d.pop("attachedBy")

        envelope = d.pop("envelope")

        facts = ReleaseEvidenceFacts.from_dict(d.pop("facts"))

        id = d.pop("id")

        key_id = d.pop("keyId")

        platform_made = d.pop("platformMade")

        predicate_type = d.pop("predicateType")

        signer = d.pop("signer")

        type_ = d.pop("type")

        release_evidence = cls(
            attached_at=attached_at,
            attached_by=attached_by,
            envelope=envelope,
            facts=facts,
            id=id,
            key_id=key_id,
            platform_made=platform_made,
            predicate_type=predicate_type,
            signer=signer,
            type_=type_,
        )

        release_evidence.additional_properties = d
        return release_evidence

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
