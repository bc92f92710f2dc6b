from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConnectSessionRecordSSHAccess")


@_attrs_define
class ConnectSessionRecordSSHAccess:
    """
    Attributes:
        certificate (str):
        principal (str):
        user (str):
        valid_before (str):
    """

    certificate: str
    principal: str
    user: str
    valid_before: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        certificate = self.certificate

        principal = self.principal

        user = self.user

        valid_before = self.valid_before

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "certificate": certificate,
                "principal": principal,
                "user": user,
                "validBefore": valid_before,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        certificate = d.pop("certificate")

        principal = d.pop("principal")

        user = d.pop("user")

        valid_before = d.pop("validBefore")

        connect_session_record_ssh_access = cls(
            certificate=certificate,
            principal=principal,
            user=user,
            valid_before=valid_before,
        )

        connect_session_record_ssh_access.additional_properties = d
        return connect_session_record_ssh_access

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
