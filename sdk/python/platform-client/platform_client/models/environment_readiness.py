from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.release_readiness import ReleaseReadiness


T = TypeVar("T", bound="EnvironmentReadiness")


@_attrs_define
class EnvironmentReadiness:
    """
    Attributes:
        environment (str):
        releases (list[ReleaseReadiness]):
    """

    environment: str
    releases: list[ReleaseReadiness]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        environment = self.environment

        releases = []
        for releases_item_data in self.releases:
            releases_item = releases_item_data.to_dict()
            releases.append(releases_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "environment": environment,
                "releases": releases,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.release_readiness import ReleaseReadiness  # noqa: PLC0415

        d = dict(src_dict)
        environment = d.pop("environment")

        releases = []
        _releases = d.pop("releases")
        for releases_item_data in _releases:
            releases_item = ReleaseReadiness.from_dict(releases_item_data)

            releases.append(releases_item)

        environment_readiness = cls(
            environment=environment,
            releases=releases,
        )

        environment_readiness.additional_properties = d
        return environment_readiness

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
