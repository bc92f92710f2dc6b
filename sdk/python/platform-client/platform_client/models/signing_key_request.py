from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.key_purpose import KeyPurpose
from ..types import UNSET, Unset

T = TypeVar("T", bound="SigningKeyRequest")


@_attrs_define
class SigningKeyRequest:
    """
    Attributes:
        name (str):
        public_key_pem (str):
        purpose (KeyPurpose | None | Unset):
    """

    name: str
    public_key_pem: str
    purpose: KeyPurpose | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        public_key_pem = self.public_key_pem

        purpose: None | str | Unset
        if isinstance(self.purpose, Unset):
            purpose = UNSET
        elif isinstance(self.purpose, KeyPurpose):
            purpose = self.purpose.value
        else:
            purpose = self.purpose

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

        def _parse_purpose(data: object) -> KeyPurpose | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                purpose_type_0 = KeyPurpose(data)

                return purpose_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KeyPurpose | None | Unset, data)

        purpose = _parse_purpose(d.pop("purpose", UNSET))

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
