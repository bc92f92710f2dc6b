from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReleaseRequest")


@_attrs_define
class ReleaseRequest:
    """
    Attributes:
        artifacts (list[str]):
        branch (str):
        environment (str):
        source_sha (str):
    """

    artifacts: list[str]
    branch: str
    environment: str
    source_sha: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        artifacts = self.artifacts

        branch = self.branch

        environment = self.environment

        source_sha = self.source_sha

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "artifacts": artifacts,
                "branch": branch,
                "environment": environment,
                "sourceSha": source_sha,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        artifacts = cast(list[str], d.pop("artifacts"))

        branch = d.pop("branch")

        environment = d.pop("environment")

        source_sha = d.pop("sourceSha")

        release_request = cls(
            artifacts=artifacts,
            branch=branch,
            environment=environment,
            source_sha=source_sha,
        )

        release_request.additional_properties = d
        return release_request

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
