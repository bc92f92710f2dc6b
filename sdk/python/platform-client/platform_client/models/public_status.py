from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.component_condition import ComponentCondition

if TYPE_CHECKING:
    from ..models.component_status import ComponentStatus
    from ..models.incident import Incident
    from ..models.maintenance_window import MaintenanceWindow


T = TypeVar("T", bound="PublicStatus")


@_attrs_define
class PublicStatus:
    """
    Attributes:
        components (list[ComponentStatus]):
        generated_at (str):
        incidents (list[Incident]):
        maintenance (list[MaintenanceWindow]):
        overall (ComponentCondition):
    """

    components: list[ComponentStatus]
    generated_at: str
    incidents: list[Incident]
    maintenance: list[MaintenanceWindow]
    overall: ComponentCondition
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        components = []
        for components_item_data in self.components:
            components_item = components_item_data.to_dict()
            components.append(components_item)

        generated_at = self.generated_at

        incidents = []
        for incidents_item_data in self.incidents:
            incidents_item = incidents_item_data.to_dict()
            incidents.append(incidents_item)

        maintenance = []
        for maintenance_item_data in self.maintenance:
            maintenance_item = maintenance_item_data.to_dict()
            maintenance.append(maintenance_item)

        overall = self.overall.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "components": components,
                "generatedAt": generated_at,
                "incidents": incidents,
                "maintenance": maintenance,
                "overall": overall,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.component_status import ComponentStatus  # noqa: PLC0415
        from ..models.incident import Incident  # noqa: PLC0415
        from ..models.maintenance_window import MaintenanceWindow  # noqa: PLC0415

        d = dict(src_dict)
        components = []
        _components = d.pop("components")
        for components_item_data in _components:
            components_item = ComponentStatus.from_dict(components_item_data)

            components.append(components_item)

        generated_at = d.pop("generatedAt")

        incidents = []
        _incidents = d.pop("incidents")
        for incidents_item_data in _incidents:
            incidents_item = Incident.from_dict(incidents_item_data)

            incidents.append(incidents_item)

        maintenance = []
        _maintenance = d.pop("maintenance")
        for maintenance_item_data in _maintenance:
            maintenance_item = MaintenanceWindow.from_dict(maintenance_item_data)

            maintenance.append(maintenance_item)

        overall = ComponentCondition(d.pop("overall"))

        public_status = cls(
            components=components,
            generated_at=generated_at,
            incidents=incidents,
            maintenance=maintenance,
            overall=overall,
        )

        public_status.additional_properties = d
        return public_status

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
