from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.catalog_entry_state import CatalogEntryState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.catalog_deprecation import CatalogDeprecation


T = TypeVar("T", bound="CatalogEntry")


@_attrs_define
class CatalogEntry:
    """
    Attributes:
        app (str):
        image_digest (str):
        manifest_digest (str):
        published_at (str):
        published_by (str):
        repository (str):
        source_project_id (str):
        source_tenant_id (str):
        state (CatalogEntryState):
        trust_at_publish (str):
        version (str):
        deprecation (CatalogDeprecation | None | Unset):
        description (None | str | Unset):
    """

    app: str
    image_digest: str
    manifest_digest: str
    published_at: str
    published_by: str
    repository: str
    source_project_id: str
    source_tenant_id: str
    state: CatalogEntryState
    trust_at_publish: str
    version: str
    deprecation: CatalogDeprecation | None | Unset = UNSET
    description: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.catalog_deprecation import CatalogDeprecation  # noqa: PLC0415

        app = self.app

        image_digest = self.image_digest

        manifest_digest = self.manifest_digest

        published_at = self.published_at

        published_by = self.published_by

        repository = self.repository

        source_project_id = self.source_project_id

        source_tenant_id = self.source_tenant_id

        state = self.state.value

        trust_at_publish = self.trust_at_publish

        version = self.version

        deprecation: dict[str, Any] | None | Unset
        if isinstance(self.deprecation, Unset):
            deprecation = UNSET
        elif isinstance(self.deprecation, CatalogDeprecation):
            deprecation = self.deprecation.to_dict()
        else:
            deprecation = self.deprecation

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "app": app,
                "imageDigest": image_digest,
                "manifestDigest": manifest_digest,
                "publishedAt": published_at,
                "publishedBy": published_by,
                "repository": repository,
                "sourceProjectId": source_project_id,
                "sourceTenantId": source_tenant_id,
                "state": state,
                "trustAtPublish": trust_at_publish,
                "version": version,
            }
        )
        if deprecation is not UNSET:
            field_dict["deprecation"] = deprecation
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.catalog_deprecation import CatalogDeprecation  # noqa: PLC0415

        d = dict(src_dict)
        app = d.pop("app")

        image_digest = d.pop("imageDigest")

        manifest_digest = d.pop("manifestDigest")

        published_at = d.pop("publishedAt")

        published_by = d.pop("publishedBy")

        repository = d.pop("repository")

        source_project_id = d.pop("sourceProjectId")

        source_tenant_id = d.pop("sourceTenantId")

        state = CatalogEntryState(d.pop("state"))

        trust_at_publish = d.pop("trustAtPublish")

        version = d.pop("version")

        def _parse_deprecation(data: object) -> CatalogDeprecation | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                deprecation_type_0 = CatalogDeprecation.from_dict(data)

                return deprecation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CatalogDeprecation | None | Unset, data)

        deprecation = _parse_deprecation(d.pop("deprecation", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        catalog_entry = cls(
            app=app,
            image_digest=image_digest,
            manifest_digest=manifest_digest,
            published_at=published_at,
            published_by=published_by,
            repository=repository,
            source_project_id=source_project_id,
            source_tenant_id=source_tenant_id,
            state=state,
            trust_at_publish=trust_at_publish,
            version=version,
            deprecation=deprecation,
            description=description,
        )

        catalog_entry.additional_properties = d
        return catalog_entry

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
