from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_record import AuditRecord


T = TypeVar("T", bound="AuditExportEntry")


@_attrs_define
class AuditExportEntry:
    """
    Attributes:
        chain_hash (str):
        leaf_hash (str):
        record (AuditRecord):
    """

    chain_hash: str
    leaf_hash: str
    record: AuditRecord
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chain_hash = self.chain_hash

        leaf_hash = self.leaf_hash

        record = self.record.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chainHash": chain_hash,
                "leafHash": leaf_hash,
                "record": record,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_record import AuditRecord  # noqa: PLC0415

        d = dict(src_dict)
        chain_hash = d.pop("chainHash")

        leaf_hash = d.pop("leafHash")

        record = AuditRecord.from_dict(d.pop("record"))

        audit_export_entry = cls(
            chain_hash=chain_hash,
            leaf_hash=leaf_hash,
            record=record,
        )

        audit_export_entry.additional_properties = d
        return audit_export_entry

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
