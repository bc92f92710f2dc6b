from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.journal_entry_kind import JournalEntryKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.posting import Posting


T = TypeVar("T", bound="JournalEntry")


@_attrs_define
class JournalEntry:
    """
    Attributes:
        id (str):
        kind (JournalEntryKind):
        posted_at (datetime.datetime):
        postings (list[Posting]):
        reference (str):
        seq (int):
        tenant (str):
        memo (None | str | Unset):
    """

    id: str
    kind: JournalEntryKind
    posted_at: datetime.datetime
    postings: list[Posting]
    reference: str
    seq: int
    tenant: str
    memo: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        posted_at = self.posted_at.isoformat()

        postings = []
        for postings_item_data in self.postings:
            postings_item = postings_item_data.to_dict()
            postings.append(postings_item)

        reference = self.reference

        seq = self.seq

        tenant = self.tenant

        memo: None | str | Unset
        if isinstance(self.memo, Unset):
            memo = UNSET
        else:
            memo = self.memo

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "postedAt": posted_at,
                "postings": postings,
                "reference": reference,
                "seq": seq,
                "tenant": tenant,
            }
        )
        if memo is not UNSET:
            field_dict["memo"] = memo

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.posting import Posting  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        kind = JournalEntryKind(d.pop("kind"))

        posted_at = datetime.datetime.fromisoformat(d.pop("postedAt"))

        postings = []
        _postings = d.pop("postings")
        for postings_item_data in _postings:
            postings_item = Posting.from_dict(postings_item_data)

            postings.append(postings_item)

        reference = d.pop("reference")

        seq = d.pop("seq")

        tenant = d.pop("tenant")

        def _parse_memo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        memo = _parse_memo(d.pop("memo", UNSET))

        journal_entry = cls(
            id=id,
            kind=kind,
            posted_at=posted_at,
            postings=postings,
            reference=reference,
            seq=seq,
            tenant=tenant,
            memo=memo,
        )

        journal_entry.additional_properties = d
        return journal_entry

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
