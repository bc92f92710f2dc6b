from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ledger_verification_check import LedgerVerificationCheck


T = TypeVar("T", bound="LedgerVerification")


@_attrs_define
class LedgerVerification:
    """
    Attributes:
        charges (int):
        checked_at (datetime.datetime):
        checks (list[LedgerVerificationCheck]):
        entries (int):
        passed (bool):
        postings (int):
    """

    charges: int
    checked_at: datetime.datetime
    checks: list[LedgerVerificationCheck]
    entries: int
    passed: bool
    postings: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        charges = self.charges

        checked_at = self.checked_at.isoformat()

        checks = []
        for checks_item_data in self.checks:
            checks_item = checks_item_data.to_dict()
            checks.append(checks_item)

        entries = self.entries

        passed = self.passed

        postings = self.postings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "charges": charges,
                "checkedAt": checked_at,
                "checks": checks,
                "entries": entries,
                "passed": passed,
                "postings": postings,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ledger_verification_check import LedgerVerificationCheck  # noqa: PLC0415

        d = dict(src_dict)
        charges = d.pop("charges")

        checked_at = datetime.datetime.fromisoformat(d.pop("checkedAt"))

        checks = []
        _checks = d.pop("checks")
        for checks_item_data in _checks:
            checks_item = LedgerVerificationCheck.from_dict(checks_item_data)

            checks.append(checks_item)

        entries = d.pop("entries")

        passed = d.pop("passed")

        postings = d.pop("postings")

        ledger_verification = cls(
            charges=charges,
            checked_at=checked_at,
            checks=checks,
            entries=entries,
            passed=passed,
            postings=postings,
        )

        ledger_verification.additional_properties = d
        return ledger_verification

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
