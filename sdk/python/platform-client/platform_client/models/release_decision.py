from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.release_field import ReleaseField
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.release_gate_result import ReleaseGateResult


T = TypeVar("T", bound="ReleaseDecision")


@_attrs_define
class ReleaseDecision:
    """
    Attributes:
        decided_at (str):
        decided_by (str):
        environment (str):
        gates (list[ReleaseGateResult]):
        input_digests (list[str]):
        policy_snapshot (str):
        release_id (str):
        required_fields (list[ReleaseField]):
        verification_result (str):
        envelope (None | str | Unset):
        id (None | str | Unset):
    """

    decided_at: str
    decided_by: str
    environment: str
    gates: list[ReleaseGateResult]
    input_digests: list[str]
    policy_snapshot: str
    release_id: str
    required_fields: list[ReleaseField]
    verification_result: str
    envelope: None | str | Unset = UNSET
    id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decided_at = self.decided_at

        decided_by = self.decided_by

        environment = self.environment

        gates = []
        for gates_item_data in self.gates:
            gates_item = gates_item_data.to_dict()
            gates.append(gates_item)

        input_digests = self.input_digests

        policy_snapshot = self.policy_snapshot

        release_id = self.release_id

        required_fields = []
        for required_fields_item_data in self.required_fields:
            required_fields_item = required_fields_item_data.value
            required_fields.append(required_fields_item)

        verification_result = self.verification_result

        envelope: None | str | Unset
        if isinstance(self.envelope, Unset):
            envelope = UNSET
        else:
            envelope = self.envelope

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decidedAt": decided_at,
                "decidedBy": decided_by,
                "environment": environment,
                "gates": gates,
                "inputDigests": input_digests,
                "policySnapshot": policy_snapshot,
                "releaseId": release_id,
                "requiredFields": required_fields,
                "verificationResult": verification_result,
            }
        )
        if envelope is not UNSET:
            field_dict["envelope"] = envelope
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.release_gate_result import ReleaseGateResult  # noqa: PLC0415

        d = dict(src_dict)
        decided_at = d.pop("decidedAt")

        decided_by = d.pop("decidedBy")

        environment = d.pop("environment")

        gates = []
        _gates = d.pop("gates")
        for gates_item_data in _gates:
            gates_item = ReleaseGateResult.from_dict(gates_item_data)

            gates.append(gates_item)

        input_digests = cast(list[str], d.pop("inputDigests"))

        policy_snapshot = d.pop("policySnapshot")

        release_id = d.pop("releaseId")

        required_fields = []
        _required_fields = d.pop("requiredFields")
        for required_fields_item_data in _required_fields:
            required_fields_item = ReleaseField(required_fields_item_data)

            required_fields.append(required_fields_item)

        verification_result = d.pop("verificationResult")

        def _parse_envelope(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        envelope = _parse_envelope(d.pop("envelope", UNSET))

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        release_decision = cls(
            decided_at=decided_at,
            decided_by=decided_by,
            environment=environment,
            gates=gates,
            input_digests=input_digests,
            policy_snapshot=policy_snapshot,
            release_id=release_id,
            required_fields=required_fields,
            verification_result=verification_result,
            envelope=envelope,
            id=id,
        )

        release_decision.additional_properties = d
        return release_decision

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
