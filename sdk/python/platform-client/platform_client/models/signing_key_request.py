from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.signing_key_request_purpose import SigningKeyRequestPurpose
from ..types import UNSET, Unset

T = TypeVar("T", bound="SigningKeyRequest")


@_attrs_define
class SigningKeyRequest:
    """
    Attributes:
        name (str):
        public_key_pem (str):
        purpose (SigningKeyRequestPurpose | Unset):
    """

    name: str
    public_key_pem: str
    purpose: SigningKeyRequestPurpose | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        public_key_pem = self.public_key_pem

        purpose: str | Unset = UNSET
        if not isinstance(self.purpose, Unset):
            purpose = self.purpose.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "publicKeyPEM": public_key_pem,
            }
        )
        if purpose is not UNSET:
            field_dict["purpose"] = purpose

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        public_key_pem = d.pop("publicKeyPEM")

        _purpose = d.pop("purpose", UNSET)
        purpose: SigningKeyRequestPurpose | Unset
        if isinstance(_purpose, Unset):
            purpose = UNSET
        else:
            purpose = SigningKeyRequestPurpose(_purpose)

        signing_key_request = cls(
            name=name,
            public_key_pem=public_key_pem,
            purpose=purpose,
        )

        signing_key_request.additional_properties = d
        return signing_key_request

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
