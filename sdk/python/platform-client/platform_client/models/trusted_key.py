from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.key_purpose import KeyPurpose
from ..models.signing_key_status import SigningKeyStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="TrustedKey")


@_attrs_define
class TrustedKey:
    """
    Attributes:
        created_at (str):
        created_by (str):
        id (str):
        name (str):
        project_id (str):
        public_key_pem (str):
        purpose (KeyPurpose):
        status (SigningKeyStatus):
        replaced_by (None | str | Unset):
        revoked_at (None | str | Unset):
    """

    created_at: str
    created_by: str
    id: str
    name: str
    project_id: str
    public_key_pem: str
    purpose: KeyPurpose
    status: SigningKeyStatus
    replaced_by: None | str | Unset = UNSET
    revoked_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        created_by = self.created_by

        id = self.id

        name = self.name

        project_id = self.project_id

        public_key_pem = self.public_key_pem

        purpose = self.purpose.value

        status = self.status.value

        replaced_by: None | str | Unset
        if isinstance(self.replaced_by, Unset):
            replaced_by = UNSET
        else:
            replaced_by = self.replaced_by

        revoked_at: None | str | Unset
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        else:
            revoked_at = self.revoked_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "createdAt": created_at,
                "createdBy": created_by,
                "id": id,
                "name": name,
                "projectId": project_id,
                "publicKeyPEM": public_key_pem,
                "purpose": purpose,
                "status": status,
            }
        )
        if replaced_by is not UNSET:
            field_dict["replacedBy"] = replaced_by
        if revoked_at is not UNSET:
            field_dict["revokedAt"] = revoked_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("createdAt")

        created_by = d.pop("createdBy")

        id = d.pop("id")

        name = d.pop("name")

        project_id = d.pop("projectId")

        public_key_pem = d.pop("publicKeyPEM")

        purpose = KeyPurpose(d.pop("purpose"))

        status = SigningKeyStatus(d.pop("status"))

        def _parse_replaced_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        replaced_by = _parse_replaced_by(d.pop("replacedBy", UNSET))

        def _parse_revoked_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        revoked_at = _parse_revoked_at(d.pop("revokedAt", UNSET))

        trusted_key = cls(
            created_at=created_at,
            created_by=created_by,
            id=id,
            name=name,
            project_id=project_id,
            public_key_pem=public_key_pem,
            purpose=purpose,
            status=status,
            replaced_by=replaced_by,
            revoked_at=revoked_at,
        )

        trusted_key.additional_properties = d
        return trusted_key

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
