from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CatalogDeprecation")


@_attrs_define
class CatalogDeprecation:
    """
    Attributes:
        deprecated_at (str):
        deprecated_by (str):
        message (str):
        replacement (None | str | Unset):
    """

    deprecated_at: str
    deprecated_by: str
    message: str
    replacement: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        deprecated_at = self.deprecated_at

        deprecated_by = self.deprecated_by

        message = self.message

        replacement: None | str | Unset
        if isinstance(self.replacement, Unset):
            replacement = UNSET
        else:
            replacement = self.replacement

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "deprecatedAt": deprecated_at,
                "deprecatedBy": deprecated_by,
                "message": message,
            }
        )
        if replacement is not UNSET:
            field_dict["replacement"] = replacement

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        deprecated_at = d.pop("deprecatedAt")

        deprecated_by = d.pop("deprecatedBy")

        message = d.pop("message")

        def _parse_replacement(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        replacement = _parse_replacement(d.pop("replacement", UNSET))

        catalog_deprecation = cls(
            deprecated_at=deprecated_at,
            deprecated_by=deprecated_by,
            message=message,
            replacement=replacement,
        )

        catalog_deprecation.additional_properties = d
        return catalog_deprecation

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
