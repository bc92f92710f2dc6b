from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.statement_status import StatementStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.statement_line import StatementLine


T = TypeVar("T", bound="Statement")


@_attrs_define
class Statement:
    """
    Attributes:
        credit_applied (Money):
        generated_at (datetime.datetime):
        lines (list[StatementLine]):
        period (str): A calendar month in UTC, `YYYY-MM`.
        status (StatementStatus):
        tenant (str):
        total (Money):
        closed_at (datetime.datetime | None | Unset):
        digest (None | str | Unset):
    """

    credit_applied: Money
    generated_at: datetime.datetime
    lines: list[StatementLine]
    period: str
    status: StatementStatus
    tenant: str
    total: Money
    closed_at: datetime.datetime | None | Unset = UNSET
    digest: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        credit_applied = self.credit_applied.to_dict()

        generated_at = self.generated_at.isoformat()

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        period = self.period

        status = self.status.value

        tenant = self.tenant

        total = self.total.to_dict()

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        digest: None | str | Unset
        if isinstance(self.digest, Unset):
            digest = UNSET
        else:
            digest = self.digest

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "creditApplied": credit_applied,
                "generatedAt": generated_at,
                "lines": lines,
                "period": period,
                "status": status,
                "tenant": tenant,
                "total": total,
            }
        )
        if closed_at is not UNSET:
            field_dict["closedAt"] = closed_at
        if digest is not UNSET:
            field_dict["digest"] = digest

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.statement_line import StatementLine  # noqa: PLC0415

        d = dict(src_dict)
        credit_applied = Money.from_dict(d.pop("creditApplied"))

        generated_at = datetime.datetime.fromisoformat(d.pop("generatedAt"))

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = StatementLine.from_dict(lines_item_data)

            lines.append(lines_item)

        period = d.pop("period")

        status = StatementStatus(d.pop("status"))

        tenant = d.pop("tenant")

        total = Money.from_dict(d.pop("total"))

        def _parse_closed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        closed_at = _parse_closed_at(d.pop("closedAt", UNSET))

        def _parse_digest(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        digest = _parse_digest(d.pop("digest", UNSET))

        statement = cls(
            credit_applied=credit_applied,
            generated_at=generated_at,
            lines=lines,
            period=period,
            status=status,
            tenant=tenant,
            total=total,
            closed_at=closed_at,
            digest=digest,
        )

        statement.additional_properties = d
        return statement

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
