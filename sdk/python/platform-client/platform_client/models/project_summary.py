from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.project import Project


T = TypeVar("T", bound="ProjectSummary")


@_attrs_define
class ProjectSummary:
    """
    Attributes:
        apps (int):
        app_versions (int):
        artifacts (int):
        instances (int):
        live_instances (int):
        project (Project):
    """

    apps: int
    app_versions: int
    artifacts: int
    instances: int
    live_instances: int
    project: Project
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        apps = self.apps

        app_versions = self.app_versions

        artifacts = self.artifacts

        instances = self.instances

        live_instances = self.live_instances

        project = self.project.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "apps": apps,
                "appVersions": app_versions,
                "artifacts": artifacts,
                "instances": instances,
                "liveInstances": live_instances,
                "project": project,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.project import Project  # noqa: PLC0415

        d = dict(src_dict)
        apps = d.pop("apps")

        app_versions = d.pop("appVersions")

        artifacts = d.pop("artifacts")

        instances = d.pop("instances")

        live_instances = d.pop("liveInstances")

        project = Project.from_dict(d.pop("project"))

        project_summary = cls(
            apps=apps,
            app_versions=app_versions,
            artifacts=artifacts,
            instances=instances,
            live_instances=live_instances,
            project=project,
        )

        project_summary.additional_properties = d
        return project_summary

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
