from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.module_descriptor import ModuleDescriptor
    from ..models.version_info_schema import VersionInfoSchema


T = TypeVar("T", bound="VersionInfo")


@_attrs_define
class VersionInfo:
    """
    Attributes:
        api_version (str):
        compiler (str):
        database_backend (str):
        name (str):
        platform (str):
        schema (VersionInfoSchema):
        started_at (str):
        version (str):
        installation_id (None | str | Unset):
        modules (list[ModuleDescriptor] | None | Unset):
    """

    api_version: str
    compiler: str
    database_backend: str
    name: str
    platform: str
    schema: VersionInfoSchema
    started_at: str
    version: str
    installation_id: None | str | Unset = UNSET
    modules: list[ModuleDescriptor] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        api_version = self.api_version

        compiler = self.compiler

        database_backend = self.database_backend

        name = self.name

        platform = self.platform

        schema = self.schema.to_dict()

        started_at = self.started_at

        version = self.version

        installation_id: None | str | Unset
        if isinstance(self.installation_id, Unset):
            installation_id = UNSET
        else:
            installation_id = self.installation_id

        modules: list[dict[str, Any]] | None | Unset
        if isinstance(self.modules, Unset):
            modules = UNSET
        elif isinstance(self.modules, list):
            modules = []
            for modules_type_0_item_data in self.modules:
                modules_type_0_item = modules_type_0_item_data.to_dict()
                modules.append(modules_type_0_item)

        else:
            modules = self.modules

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "apiVersion": api_version,
                "compiler": compiler,
                "databaseBackend": database_backend,
                "name": name,
                "platform": platform,
                "schema": schema,
                "startedAt": started_at,
                "version": version,
            }
        )
        if installation_id is not UNSET:
            field_dict["installationId"] = installation_id
        if modules is not UNSET:
            field_dict["modules"] = modules

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.module_descriptor import ModuleDescriptor  # noqa: PLC0415
        from ..models.version_info_schema import VersionInfoSchema  # noqa: PLC0415

        d = dict(src_dict)
        api_version = d.pop("apiVersion")

        compiler = d.pop("compiler")

        database_backend = d.pop("databaseBackend")

        name = d.pop("name")

        platform = d.pop("platform")

        schema = VersionInfoSchema.from_dict(d.pop("schema"))

        started_at = d.pop("startedAt")

        version = d.pop("version")

        def _parse_installation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        installation_id = _parse_installation_id(d.pop("installationId", UNSET))

        def _parse_modules(data: object) -> list[ModuleDescriptor] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                modules_type_0 = []
                _modules_type_0 = data
                for modules_type_0_item_data in _modules_type_0:
                    modules_type_0_item = ModuleDescriptor.from_dict(modules_type_0_item_data)

                    modules_type_0.append(modules_type_0_item)

                return modules_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ModuleDescriptor] | None | Unset, data)

        modules = _parse_modules(d.pop("modules", UNSET))

        version_info = cls(
            api_version=api_version,
            compiler=compiler,
            database_backend=database_backend,
            name=name,
            platform=platform,
            schema=schema,
            started_at=started_at,
            version=version,
            installation_id=installation_id,
            modules=modules,
        )

        version_info.additional_properties = d
        return version_info

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
