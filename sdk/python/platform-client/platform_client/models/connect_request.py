from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.connect_request_type import ConnectRequestType
from ..types import UNSET, Unset

T = TypeVar("T", bound="ConnectRequest")


@_attrs_define
class ConnectRequest:
    """
    Attributes:
        action (str | Unset):
        endpoint (str | Unset):
        ssh_public_key (str | Unset):
        ttl_seconds (int | Unset):
        type_ (ConnectRequestType | Unset):
    """

    action: str | Unset = UNSET
    endpoint: str | Unset = UNSET
    ssh_public_key: str | Unset = UNSET
    ttl_seconds: int | Unset = UNSET
    type_: ConnectRequestType | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        endpoint = self.endpoint

        ssh_public_key = self.ssh_public_key

        ttl_seconds = self.ttl_seconds

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if action is not UNSET:
            field_dict["action"] = action
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint
        if ssh_public_key is not UNSET:
            field_dict["sshPublicKey"] = ssh_public_key
        if ttl_seconds is not UNSET:
            field_dict["ttlSeconds"] = ttl_seconds
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = d.pop("action", UNSET)

        endpoint = d.pop("endpoint", UNSET)

        ssh_public_key = d.pop("sshPublicKey", UNSET)

        ttl_seconds = d.pop("ttlSeconds", UNSET)

        _type_ = d.pop("type", UNSET)
        type_: ConnectRequestType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = ConnectRequestType(_type_)

        connect_request = cls(
            action=action,
            endpoint=endpoint,
            ssh_public_key=ssh_public_key,
            ttl_seconds=ttl_seconds,
            type_=type_,
        )

        connect_request.additional_properties = d
        return connect_request

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
