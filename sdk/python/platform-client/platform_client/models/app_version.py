from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.app_version_registry_versions import AppVersionRegistryVersions


T = TypeVar("T", bound="AppVersion")


@_attrs_define
class AppVersion:
    """
    Attributes:
        digest (str):
        manifest (str):
        name (str):
        project_id (str):
        registered_at (str):
        registered_by (str):
        registry_versions (AppVersionRegistryVersions):
        version (str):
    """

    digest: str
    manifest: str
    name: str
    project_id: str
    registered_at: str
    registered_by: str
    registry_versions: AppVersionRegistryVersions
    version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        digest = self.digest

        manifest = self.manifest

        name = self.name

        project_id = self.project_id

        registered_at = self.registered_at

        registered_by = self.registered_by

        registry_versions = self.registry_versions.to_dict()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "digest": digest,
                "manifest": manifest,
                "name": name,
                "projectId": project_id,
                "registeredAt": registered_at,
                "registeredBy": registered_by,
                "registryVersions": registry_versions,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.app_version_registry_versions import AppVersionRegistryVersions  # noqa: PLC0415

        d = dict(src_dict)
        digest = d.pop("digest")

        manifest = d.pop("manifest")

        name = d.pop("name")

        project_id = d.pop("projectId")

        registered_at = d.pop("registeredAt")

        registered_by = d.pop("registeredBy")

        registry_versions = AppVersionRegistryVersions.from_dict(d.pop("registryVersions"))

        version = d.pop("version")

        app_version = cls(
            digest=digest,
            manifest=manifest,
            name=name,
            project_id=project_id,
            registered_at=registered_at,
            registered_by=registered_by,
            registry_versions=registry_versions,
            version=version,
        )

        app_version.additional_properties = d
        return app_version

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
