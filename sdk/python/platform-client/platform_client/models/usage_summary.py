from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.usage_grouping import UsageGrouping
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.usage_summary_row import UsageSummaryRow


T = TypeVar("T", bound="UsageSummary")


@_attrs_define
class UsageSummary:
    """
    Attributes:
        group_by (UsageGrouping):
        rows (list[UsageSummaryRow]):
        since (datetime.datetime):
        unrated (int):
        project (None | str | Unset):
        tenant (None | str | Unset):
    """

    group_by: UsageGrouping
    rows: list[UsageSummaryRow]
    since: datetime.datetime
    unrated: int
    project: None | str | Unset = UNSET
    tenant: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        group_by = self.group_by.value

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        since = self.since.isoformat()

        unrated = self.unrated

        project: None | str | Unset
        if isinstance(self.project, Unset):
            project = UNSET
        else:
            project = self.project

        tenant: None | str | Unset
        if isinstance(self.tenant, Unset):
            tenant = UNSET
        else:
            tenant = self.tenant

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "groupBy": group_by,
                "rows": rows,
                "since": since,
                "unrated": unrated,
            }
        )
        if project is not UNSET:
            field_dict["project"] = project
        if tenant is not UNSET:
            field_dict["tenant"] = tenant

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage_summary_row import UsageSummaryRow  # noqa: PLC0415

        d = dict(src_dict)
        group_by = UsageGrouping(d.pop("groupBy"))

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = UsageSummaryRow.from_dict(rows_item_data)

            rows.append(rows_item)

        since = datetime.datetime.fromisoformat(d.pop("since"))

        unrated = d.pop("unrated")

        def _parse_project(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project = _parse_project(d.pop("project", UNSET))

        def _parse_tenant(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tenant = _parse_tenant(d.pop("tenant", UNSET))

        usage_summary = cls(
            group_by=group_by,
            rows=rows,
            since=since,
            unrated=unrated,
            project=project,
            tenant=tenant,
        )

        usage_summary.additional_properties = d
        return usage_summary

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
