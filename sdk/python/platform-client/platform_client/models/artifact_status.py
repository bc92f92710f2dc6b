from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trust_state import TrustState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attestation_report import AttestationReport
    from ..models.gate_report import GateReport
    from ..models.source_provenance import SourceProvenance


T = TypeVar("T", bound="ArtifactStatus")


@_attrs_define
class ArtifactStatus:
    """
    Attributes:
        digest (str):
        effective_state (TrustState):
        evidence (list[AttestationReport]):
        gates (list[GateReport]):
        project_id (str):
        repositories (list[str]):
        signatures (list[AttestationReport]):
        state (TrustState):
        tags (list[str]):
        type_id (str):
        updated_at (str):
        held_by (None | str | Unset):
        provenance (None | SourceProvenance | Unset):
    """

    digest: str
    effective_state: TrustState
    evidence: list[AttestationReport]
    gates: list[GateReport]
    project_id: str
    repositories: list[str]
    signatures: list[AttestationReport]
    state: TrustState
    tags: list[str]
    type_id: str
    updated_at: str
    held_by: None | str | Unset = UNSET
    provenance: None | SourceProvenance | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.source_provenance import SourceProvenance  # noqa: PLC0415

        digest = self.digest

        effective_state = self.effective_state.value

        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item = evidence_item_data.to_dict()
            evidence.append(evidence_item)

        gates = []
        for gates_item_data in self.gates:
            gates_item = gates_item_data.to_dict()
            gates.append(gates_item)

        project_id = self.project_id

        repositories = self.repositories

        signatures = []
        for signatures_item_data in self.signatures:
            signatures_item = signatures_item_data.to_dict()
            signatures.append(signatures_item)

        state = self.state.value

        tags = self.tags

        type_id = self.type_id

        updated_at = self.updated_at

        held_by: None | str | Unset
        if isinstance(self.held_by, Unset):
            held_by = UNSET
        else:
            held_by = self.held_by

        provenance: dict[str, Any] | None | Unset
        if isinstance(self.provenance, Unset):
            provenance = UNSET
        elif isinstance(self.provenance, SourceProvenance):
            provenance = self.provenance.to_dict()
        else:
            provenance = self.provenance

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "digest": digest,
                "effectiveState": effective_state,
                "evidence": evidence,
                "gates": gates,
                "projectId": project_id,
                "repositories": repositories,
                "signatures": signatures,
                "state": state,
                "tags": tags,
                "typeId": type_id,
                "updatedAt": updated_at,
            }
        )
        if held_by is not UNSET:
            field_dict["heldBy"] = held_by
        if provenance is not UNSET:
            field_dict["provenance"] = provenance

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attestation_report import AttestationReport  # noqa: PLC0415
        from ..models.gate_report import GateReport  # noqa: PLC0415
        from ..models.source_provenance import SourceProvenance  # noqa: PLC0415

        d = dict(src_dict)
        digest = d.pop("digest")

        effective_state = TrustState(d.pop("effectiveState"))

        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in _evidence:
            evidence_item = AttestationReport.from_dict(evidence_item_data)

            evidence.append(evidence_item)

        gates = []
        _gates = d.pop("gates")
        for gates_item_data in _gates:
            gates_item = GateReport.from_dict(gates_item_data)

            gates.append(gates_item)

        project_id = d.pop("projectId")

        repositories = cast(list[str], d.pop("repositories"))

        signatures = []
        _signatures = d.pop("signatures")
        for signatures_item_data in _signatures:
            signatures_item = AttestationReport.from_dict(signatures_item_data)

            signatures.append(signatures_item)

        state = TrustState(d.pop("state"))

        tags = cast(list[str], d.pop("tags"))

        type_id = d.pop("typeId")

        updated_at = d.pop("updatedAt")

        def _parse_held_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        held_by = _parse_held_by(d.pop("heldBy", UNSET))

        def _parse_provenance(data: object) -> None | SourceProvenance | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                provenance_type_0 = SourceProvenance.from_dict(data)

                return provenance_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SourceProvenance | Unset, data)

        provenance = _parse_provenance(d.pop("provenance", UNSET))

        artifact_status = cls(
            digest=digest,
            effective_state=effective_state,
            evidence=evidence,
            gates=gates,
            project_id=project_id,
            repositories=repositories,
            signatures=signatures,
            state=state,
            tags=tags,
            type_id=type_id,
            updated_at=updated_at,
            held_by=held_by,
            provenance=provenance,
        )

        artifact_status.additional_properties = d
        return artifact_status

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
