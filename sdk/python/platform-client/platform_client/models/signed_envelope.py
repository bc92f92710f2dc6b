from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.signed_envelope_signature import SignedEnvelopeSignature


T = TypeVar("T", bound="SignedEnvelope")


@_attrs_define
class SignedEnvelope:
    """
    Attributes:
        digest (str):
        payload (str):
        payload_type (str):
        signatures (list[SignedEnvelopeSignature]):
    """

    digest: str
    payload: str
    payload_type: str
    signatures: list[SignedEnvelopeSignature]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        digest = self.digest

        payload = self.payload

        payload_type = self.payload_type

        signatures = []
        for signatures_item_data in self.signatures:
            signatures_item = signatures_item_data.to_dict()
            signatures.append(signatures_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "digest": digest,
                "payload": payload,
                "payloadType": payload_type,
                "signatures": signatures,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signed_envelope_signature import SignedEnvelopeSignature  # noqa: PLC0415

        d = dict(src_dict)
        digest = d.pop("digest")

        payload = d.pop("payload")

        payload_type = d.pop("payloadType")

        signatures = []
        _signatures = d.pop("signatures")
        for signatures_item_data in _signatures:
            signatures_item = SignedEnvelopeSignature.from_dict(signatures_item_data)

            signatures.append(signatures_item)

        signed_envelope = cls(
            digest=digest,
            payload=payload,
            payload_type=payload_type,
            signatures=signatures,
        )

        signed_envelope.additional_properties = d
        return signed_envelope

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
