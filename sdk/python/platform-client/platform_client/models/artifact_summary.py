from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trust_state import TrustState

T = TypeVar("T", bound="ArtifactSummary")


@_attrs_define
class ArtifactSummary:
    """
    Attributes:
        digest (str):
        repository (str):
        state (TrustState):
        type_id (str):
        updated_at (str):
    """

    digest: str
    repository: str
    state: TrustState
    type_id: str
    updated_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        digest = self.digest

        repository = self.repository

        state = self.state.value

        type_id = self.type_id

        updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "digest": digest,
                "repository": repository,
                "state": state,
                "typeId": type_id,
                "updatedAt": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        digest = d.pop("digest")

        repository = d.pop("repository")

        state = TrustState(d.pop("state"))

        type_id = d.pop("typeId")

        updated_at = d.pop("updatedAt")

        artifact_summary = cls(
            digest=digest,
            repository=repository,
            state=state,
            type_id=type_id,
            updated_at=updated_at,
        )

        artifact_summary.additional_properties = d
        return artifact_summary

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
