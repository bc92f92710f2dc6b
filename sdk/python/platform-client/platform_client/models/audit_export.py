from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_export_entry import AuditExportEntry


T = TypeVar("T", bound="AuditExport")


@_attrs_define
class AuditExport:
    """
    Attributes:
        checkpoints (list[str]):
        entries (list[AuditExportEntry]):
        head_chain_hash (str):
        origin (str):
        size (int):
        verifier_key (str):
    """

    checkpoints: list[str]
    entries: list[AuditExportEntry]
    head_chain_hash: str
    origin: str
    size: int
    verifier_key: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        checkpoints = self.checkpoints

        entries = []
        for entries_item_data in self.entries:
            entries_item = entries_item_data.to_dict()
            entries.append(entries_item)

        head_chain_hash = self.head_chain_hash

        origin = self.origin

        size = self.size

        verifier_key = self.verifier_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "checkpoints": checkpoints,
                "entries": entries,
                "headChainHash": head_chain_hash,
                "origin": origin,
                "size": size,
                "verifierKey": verifier_key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_export_entry import AuditExportEntry  # noqa: PLC0415

        d = dict(src_dict)
        checkpoints = cast(list[str], d.pop("checkpoints"))

        entries = []
        _entries = d.pop("entries")
        for entries_item_data in _entries:
            entries_item = AuditExportEntry.from_dict(entries_item_data)

            entries.append(entries_item)

        head_chain_hash = d.pop("headChainHash")

        origin = d.pop("origin")

        size = d.pop("size")

        verifier_key = d.pop("verifierKey")

        audit_export = cls(
            checkpoints=checkpoints,
            entries=entries,
            head_chain_hash=head_chain_hash,
            origin=origin,
            size=size,
            verifier_key=verifier_key,
        )

        audit_export.additional_properties = d
        return audit_export

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
