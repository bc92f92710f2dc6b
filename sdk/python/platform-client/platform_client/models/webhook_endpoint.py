from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEndpoint")


@_attrs_define
class WebhookEndpoint:
    """
    Attributes:
        created_at (str):
        created_by (str):
        id (str):
        project (str):
        templates (list[str]):
        url (str):
        disabled_at (None | str | Unset):
    """

    created_at: str
    created_by: str
    id: str
    project: str
    templates: list[str]
    url: str
    disabled_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        created_by = self.created_by

        id = self.id

        project = self.project

        templates = self.templates

        url = self.url

        disabled_at: None | str | Unset
        if isinstance(self.disabled_at, Unset):
            disabled_at = UNSET
        else:
            disabled_at = self.disabled_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "createdAt": created_at,
                "createdBy": created_by,
                "id": id,
                "project": project,
                "templates": templates,
                "url": url,
            }
        )
        if disabled_at is not UNSET:
            field_dict["disabledAt"] = disabled_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("createdAt")

        created_by = d.pop("createdBy")

        id = d.pop("id")

        project = d.pop("project")

        templates = cast(list[str], d.pop("templates"))

        url = d.pop("url")

        def _parse_disabled_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        disabled_at = _parse_disabled_at(d.pop("disabledAt", UNSET))

        webhook_endpoint = cls(
            created_at=created_at,
            created_by=created_by,
            id=id,
            project=project,
            templates=templates,
            url=url,
            disabled_at=disabled_at,
        )

        webhook_endpoint.additional_properties = d
        return webhook_endpoint

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
