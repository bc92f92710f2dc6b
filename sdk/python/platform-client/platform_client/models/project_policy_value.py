from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.policy_level import PolicyLevel
from ..models.policy_lifecycle import PolicyLifecycle
from ..models.policy_scope import PolicyScope
from ..models.policy_type import PolicyType

T = TypeVar("T", bound="ProjectPolicyValue")


@_attrs_define
class ProjectPolicyValue:
    """
    Attributes:
        key (str):
        level (PolicyLevel):
        lifecycle (PolicyLifecycle):
        scope (PolicyScope):
        source (str):
        type_ (PolicyType):
        value (Any): The value in its policy's type: integer (number), flag (boolean), list (array of strings),
            integer_map (object of numbers).
    """

    key: str
    level: PolicyLevel
    lifecycle: PolicyLifecycle
    scope: PolicyScope
    source: str
    type_: PolicyType
    value: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        level = self.level.value

        lifecycle = self.lifecycle.value

        scope = self.scope.value

        source = self.source

        type_ = self.type_.value

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "level": level,
                "lifecycle": lifecycle,
                "scope": scope,
                "source": source,
                "type": type_,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        level = PolicyLevel(d.pop("level"))

        lifecycle = PolicyLifecycle(d.pop("lifecycle"))

        scope = PolicyScope(d.pop("scope"))

        source = d.pop("source")

        type_ = PolicyType(d.pop("type"))

        value = d.pop("value")

        project_policy_value = cls(
            key=key,
            level=level,
            lifecycle=lifecycle,
            scope=scope,
            source=source,
            type_=type_,
            value=value,
        )

        project_policy_value.additional_properties = d
        return project_policy_value

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
