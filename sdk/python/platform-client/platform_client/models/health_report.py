from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_report_status import HealthReportStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.health_report_checks import HealthReportChecks


T = TypeVar("T", bound="HealthReport")


@_attrs_define
class HealthReport:
    """
    Attributes:
        status (HealthReportStatus):
        checks (HealthReportChecks | Unset):
        description (str | Unset):
        service_id (str | Unset):
        version (str | Unset):
    """

    status: HealthReportStatus
    checks: HealthReportChecks | Unset = UNSET
    description: str | Unset = UNSET
    service_id: str | Unset = UNSET
    version: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        checks: dict[str, Any] | Unset = UNSET
        if not isinstance(self.checks, Unset):
            checks = self.checks.to_dict()

        description = self.description

        service_id = self.service_id

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if checks is not UNSET:
            field_dict["checks"] = checks
        if description is not UNSET:
            field_dict["description"] = description
        if service_id is not UNSET:
            field_dict["serviceId"] = service_id
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.health_report_checks import HealthReportChecks  # noqa: PLC0415

        d = dict(src_dict)
        status = HealthReportStatus(d.pop("status"))

        _checks = d.pop("checks", UNSET)
        checks: HealthReportChecks | Unset
        if isinstance(_checks, Unset):
            checks = UNSET
        else:
            checks = HealthReportChecks.from_dict(_checks)

        description = d.pop("description", UNSET)

        service_id = d.pop("serviceId", UNSET)

        version = d.pop("version", UNSET)

        health_report = cls(
            status=status,
            checks=checks,
            description=description,
            service_id=service_id,
            version=version,
        )

        health_report.additional_properties = d
        return health_report

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
