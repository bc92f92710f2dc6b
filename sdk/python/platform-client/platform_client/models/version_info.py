from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.version_info_modules_item import VersionInfoModulesItem
    from ..models.version_info_schema import VersionInfoSchema


T = TypeVar("T", bound="VersionInfo")


@_attrs_define
class VersionInfo:
    """
    Attributes:
        api_version (str):
        database_backend (str):
        name (str):
        schema (VersionInfoSchema):
        started_at (str):
        version (str):
        compiler (str | Unset):
        installation_id (None | str | Unset):
        modules (list[VersionInfoModulesItem] | Unset):
        platform (str | Unset):
    """

    api_version: str
    database_backend: str
    name: str
    schema: VersionInfoSchema
    started_at: str
    version: str
    compiler: str | Unset = UNSET
    installation_id: None | str | Unset = UNSET
    modules: list[VersionInfoModulesItem] | Unset = UNSET
    platform: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        api_version = self.api_version

        database_backend = self.database_backend

        name = self.name

        schema = self.schema.to_dict()

        started_at = self.started_at

        version = self.version

        compiler = self.compiler

        installation_id: None | str | Unset
        if isinstance(self.installation_id, Unset):
            installation_id = UNSET
        else:
            installation_id = self.installation_id

        modules: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.modules, Unset):
            modules = []
            for modules_item_data in self.modules:
                modules_item = modules_item_data.to_dict()
                modules.append(modules_item)

        platform = self.platform

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "apiVersion": api_version,
                "databaseBackend": database_backend,
                "name": name,
                "schema": schema,
                "startedAt": started_at,
                "version": version,
            }
        )
        if compiler is not UNSET:
            field_dict["compiler"] = compiler
        if installation_id is not UNSET:
            field_dict["installationId"] = installation_id
        if modules is not UNSET:
            field_dict["modules"] = modules
        if platform is not UNSET:
            field_dict["platform"] = platform

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.version_info_modules_item import VersionInfoModulesItem  # noqa: PLC0415
        from ..models.version_info_schema import VersionInfoSchema  # noqa: PLC0415

        d = dict(src_dict)
        api_version = d.pop("apiVersion")

        database_backend = d.pop("databaseBackend")

        name = d.pop("name")

        schema = VersionInfoSchema.from_dict(d.pop("schema"))

        started_at = d.pop("startedAt")

        version = d.pop("version")

        compiler = d.pop("compiler", UNSET)

        def _parse_installation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        installation_id = _parse_installation_id(d.pop("installationId", UNSET))

        _modules = d.pop("modules", UNSET)
        modules: list[VersionInfoModulesItem] | Unset = UNSET
        if _modules is not UNSET:
            modules = []
            for modules_item_data in _modules:
                modules_item = VersionInfoModulesItem.from_dict(modules_item_data)

                modules.append(modules_item)

        platform = d.pop("platform", UNSET)

        version_info = cls(
            api_version=api_version,
            database_backend=database_backend,
            name=name,
            schema=schema,
            started_at=started_at,
            version=version,
            compiler=compiler,
            installation_id=installation_id,
            modules=modules,
            platform=platform,
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
