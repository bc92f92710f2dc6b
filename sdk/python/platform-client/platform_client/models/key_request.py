from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="KeyRequest")


@_attrs_define
class KeyRequest:
    """
    Attributes:
        expires_in_seconds (int):
        scopes (list[str]):
        service_account (str):
    """

    expires_in_seconds: int
    scopes: list[str]
    service_account: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expires_in_seconds = self.expires_in_seconds

        scopes = self.scopes

        service_account = self.service_account

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expiresInSeconds": expires_in_seconds,
                "scopes": scopes,
                "serviceAccount": service_account,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expires_in_seconds = d.pop("expiresInSeconds")

        scopes = cast(list[str], d.pop("scopes"))

        service_account = d.pop("serviceAccount")

        key_request = cls(
            expires_in_seconds=expires_in_seconds,
            scopes=scopes,
            service_account=service_account,
        )

        key_request.additional_properties = d
        return key_request

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
