from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.release_gate import ReleaseGate
from ..models.release_state import ReleaseState
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReleaseReadiness")


@_attrs_define
class ReleaseReadiness:
    """
    Attributes:
        failing_gates (list[ReleaseGate]):
        project_id (str):
        release_id (str):
        source_sha (str):
        state (ReleaseState):
        decided_at (None | str | Unset):
        verification_result (None | str | Unset):
    """

    failing_gates: list[ReleaseGate]
    project_id: str
    release_id: str
    source_sha: str
    state: ReleaseState
    decided_at: None | str | Unset = UNSET
    verification_result: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failing_gates = []
        for failing_gates_item_data in self.failing_gates:
            failing_gates_item = failing_gates_item_data.value
            failing_gates.append(failing_gates_item)

        project_id = self.project_id

        release_id = self.release_id

        source_sha = self.source_sha

        state = self.state.value

        decided_at: None | str | Unset
        if isinstance(self.decided_at, Unset):
            decided_at = UNSET
        else:
            decided_at = self.decided_at

        verification_result: None | str | Unset
        if isinstance(self.verification_result, Unset):
            verification_result = UNSET
        else:
            verification_result = self.verification_result

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "failingGates": failing_gates,
                "projectId": project_id,
                "releaseId": release_id,
                "sourceSha": source_sha,
                "state": state,
            }
        )
        if decided_at is not UNSET:
            field_dict["decidedAt"] = decided_at
        if verification_result is not UNSET:
            field_dict["verificationResult"] = verification_result

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        failing_gates = []
        _failing_gates = d.pop("failingGates")
        for failing_gates_item_data in _failing_gates:
            failing_gates_item = ReleaseGate(failing_gates_item_data)

            failing_gates.append(failing_gates_item)

        project_id = d.pop("projectId")

        release_id = d.pop("releaseId")

        source_sha = d.pop("sourceSha")

        state = ReleaseState(d.pop("state"))

        def _parse_decided_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decided_at = _parse_decided_at(d.pop("decidedAt", UNSET))

        def _parse_verification_result(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        verification_result = _parse_verification_result(d.pop("verificationResult", UNSET))

        release_readiness = cls(
            failing_gates=failing_gates,
            project_id=project_id,
            release_id=release_id,
            source_sha=source_sha,
            state=state,
            decided_at=decided_at,
            verification_result=verification_result,
        )

        release_readiness.additional_properties = d
        return release_readiness

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
