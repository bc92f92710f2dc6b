from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NotificationFeedItem")


@_attrs_define
class NotificationFeedItem:
    """
    Attributes:
        body (str):
        category (str):
        created_at (str):
        event_id (str):
        project (str):
        severity (str):
        subject (str):
        template (str):
    """

    body: str
    category: str
    created_at: str
    event_id: str
    project: str
    severity: str
    subject: str
    template: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        category = self.category

        created_at = self.created_at

        event_id = self.event_id

        project = self.project

        severity = self.severity

        subject = self.subject

        template = self.template

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "body": body,
                "category": category,
                "createdAt": created_at,
                "eventId": event_id,
                "project": project,
                "severity": severity,
                "subject": subject,
                "template": template,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        category = d.pop("category")

        created_at = d.pop("createdAt")

        event_id = d.pop("eventId")

        project = d.pop("project")

        severity = d.pop("severity")

        subject = d.pop("subject")

        template = d.pop("template")

        notification_feed_item = cls(
            body=body,
            category=category,
            created_at=created_at,
            event_id=event_id,
            project=project,
            severity=severity,
            subject=subject,
            template=template,
        )

        notification_feed_item.additional_properties = d
        return notification_feed_item

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
