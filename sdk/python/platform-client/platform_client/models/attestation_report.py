from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.signing_key_status import SigningKeyStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.source_provenance import SourceProvenance


T = TypeVar("T", bound="AttestationReport")


@_attrs_define
class AttestationReport:
    """
    Attributes:
        kind (str):
        referrer (str):
        repository (str):
        valid (bool):
        code (None | str | Unset): A stable error code, `<area>.<reason>`.
        evidence_type (None | str | Unset):
        key_id (None | str | Unset):
        key_name (None | str | Unset):
        key_status (None | SigningKeyStatus | Unset):
        predicate_type (None | str | Unset):
        reason (None | str | Unset):
        signer (None | str | Unset):
        source (None | SourceProvenance | Unset):
    """

    kind: str
    referrer: str
    repository: str
    valid: bool
    code: None | str | Unset = UNSET
    evidence_type: None | str | Unset = UNSET
    key_id: None | str | Unset = UNSET
    key_name: None | str | Unset = UNSET
    key_status: None | SigningKeyStatus | Unset = UNSET
    predicate_type: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    signer: None | str | Unset = UNSET
    source: None | SourceProvenance | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.source_provenance import SourceProvenance  # noqa: PLC0415

        kind = self.kind

        referrer = self.referrer

        repository = self.repository

        valid = self.valid

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        evidence_type: None | str | Unset
        if isinstance(self.evidence_type, Unset):
            evidence_type = UNSET
        else:
            evidence_type = self.evidence_type

        key_id: None | str | Unset
        if isinstance(self.key_id, Unset):
            key_id = UNSET
        else:
            key_id = self.key_id

        key_name: None | str | Unset
        if isinstance(self.key_name, Unset):
            key_name = UNSET
        else:
            key_name = self.key_name

        key_status: None | str | Unset
        if isinstance(self.key_status, Unset):
            key_status = UNSET
        elif isinstance(self.key_status, SigningKeyStatus):
            key_status = self.key_status.value
        else:
            key_status = self.key_status

        predicate_type: None | str | Unset
        if isinstance(self.predicate_type, Unset):
            predicate_type = UNSET
        else:
            predicate_type = self.predicate_type

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        signer: None | str | Unset
        if isinstance(self.signer, Unset):
            signer = UNSET
        else:
            signer = self.signer

        source: dict[str, Any] | None | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        elif isinstance(self.source, SourceProvenance):
            source = self.source.to_dict()
        else:
            source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "referrer": referrer,
                "repository": repository,
                "valid": valid,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if evidence_type is not UNSET:
            field_dict["evidenceType"] = evidence_type
        if key_id is not UNSET:
            field_dict["keyId"] = key_id
        if key_name is not UNSET:
            field_dict["keyName"] = key_name
        if key_status is not UNSET:
            field_dict["keyStatus"] = key_status
        if predicate_type is not UNSET:
            field_dict["predicateType"] = predicate_type
        if reason is not UNSET:
            field_dict["reason"] = reason
        if signer is not UNSET:
            field_dict["signer"] = signer
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source_provenance import SourceProvenance  # noqa: PLC0415

        d = dict(src_dict)
        kind = d.pop("kind")

        referrer = d.pop("referrer")

        repository = d.pop("repository")

        valid = d.pop("valid")

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_evidence_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        evidence_type = _parse_evidence_type(d.pop("evidenceType", UNSET))

        def _parse_key_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        key_id = _parse_key_id(d.pop("keyId", UNSET))

        def _parse_key_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        key_name = _parse_key_name(d.pop("keyName", UNSET))

        def _parse_key_status(data: object) -> None | SigningKeyStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                key_status_type_0 = SigningKeyStatus(data)

                return key_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SigningKeyStatus | Unset, data)

        key_status = _parse_key_status(d.pop("keyStatus", UNSET))

        def _parse_predicate_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        predicate_type = _parse_predicate_type(d.pop("predicateType", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_signer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        signer = _parse_signer(d.pop("signer", UNSET))

        def _parse_source(data: object) -> None | SourceProvenance | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                source_type_0 = SourceProvenance.from_dict(data)

                return source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SourceProvenance | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        attestation_report = cls(
            kind=kind,
            referrer=referrer,
            repository=repository,
            valid=valid,
            code=code,
            evidence_type=evidence_type,
            key_id=key_id,
            key_name=key_name,
            key_status=key_status,
            predicate_type=predicate_type,
            reason=reason,
            signer=signer,
            source=source,
        )

        attestation_report.additional_properties = d
        return attestation_report

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
