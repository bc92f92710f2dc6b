from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.policy_lifecycle import PolicyLifecycle
from ..models.policy_scope import PolicyScope
from ..models.policy_type import PolicyType

T = TypeVar("T", bound="PolicyDefinition")


@_attrs_define
class PolicyDefinition:
    """
    Attributes:
        default (Any): The value in its policy's type: integer (number), flag (boolean), list (array of strings),
            integer_map (object of numbers).
        description (str):
        effective_version (int):
        lifecycle (PolicyLifecycle):
        policy_key (str):
        scope (PolicyScope):
        type_ (PolicyType):
    """

    default: Any
    description: str
    effective_version: int
    lifecycle: PolicyLifecycle
    policy_key: str
    scope: PolicyScope
    type_: PolicyType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default = self.default

        description = self.description

        effective_version = self.effective_version

        lifecycle = self.lifecycle.value

        policy_key = self.policy_key

        scope = self.scope.value

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default": default,
                "description": description,
                "effective_version": effective_version,
                "lifecycle": lifecycle,
                "policy_key": policy_key,
                "scope": scope,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        default = d.pop("default")

        description = d.pop("description")

        effective_version = d.pop("effective_version")

        lifecycle = PolicyLifecycle(d.pop("lifecycle"))

        policy_key = d.pop("policy_key")

        scope = PolicyScope(d.pop("scope"))

        type_ = PolicyType(d.pop("type"))

        policy_definition = cls(
            default=default,
            description=description,
            effective_version=effective_version,
            lifecycle=lifecycle,
            policy_key=policy_key,
            scope=scope,
            type_=type_,
        )

        policy_definition.additional_properties = d
        return policy_definition

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
