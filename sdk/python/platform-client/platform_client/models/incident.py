from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.incident_impact import IncidentImpact
from ..models.incident_state import IncidentState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.incident_update import IncidentUpdate


T = TypeVar("T", bound="Incident")


@_attrs_define
class Incident:
    """
    Attributes:
        components (list[str]):
        id (str):
        impact (IncidentImpact):
        opened_at (str):
        state (IncidentState):
        timeline (list[IncidentUpdate]):
        title (str):
        resolved_at (None | str | Unset):
    """

    components: list[str]
    id: str
    impact: IncidentImpact
    opened_at: str
    state: IncidentState
    timeline: list[IncidentUpdate]
    title: str
    resolved_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        components = self.components

        id = self.id

        impact = self.impact.value

        opened_at = self.opened_at

        state = self.state.value

        timeline = []
        for timeline_item_data in self.timeline:
            timeline_item = timeline_item_data.to_dict()
            timeline.append(timeline_item)

        title = self.title

        resolved_at: None | str | Unset
        if isinstance(self.resolved_at, Unset):
            resolved_at = UNSET
        else:
            resolved_at = self.resolved_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "components": components,
                "id": id,
                "impact": impact,
                "openedAt": opened_at,
                "state": state,
                "timeline": timeline,
                "title": title,
            }
        )
        if resolved_at is not UNSET:
            field_dict["resolvedAt"] = resolved_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.incident_update import IncidentUpdate  # noqa: PLC0415

        d = dict(src_dict)
        components = cast(list[str], d.pop("components"))

        id = d.pop("id")

        impact = IncidentImpact(d.pop("impact"))

        opened_at = d.pop("openedAt")

        state = IncidentState(d.pop("state"))

        timeline = []
        _timeline = d.pop("timeline")
        for timeline_item_data in _timeline:
            timeline_item = IncidentUpdate.from_dict(timeline_item_data)

            timeline.append(timeline_item)

        title = d.pop("title")

        def _parse_resolved_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resolved_at = _parse_resolved_at(d.pop("resolvedAt", UNSET))

        incident = cls(
            components=components,
            id=id,
            impact=impact,
            opened_at=opened_at,
            state=state,
            timeline=timeline,
            title=title,
            resolved_at=resolved_at,
        )

        incident.additional_properties = d
        return incident

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
