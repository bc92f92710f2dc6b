from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.connect_session_state import ConnectSessionState
from ..models.connect_type import ConnectType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.connect_session_record_ssh_access import ConnectSessionRecordSSHAccess


T = TypeVar("T", bound="ConnectSessionRecord")


@_attrs_define
class ConnectSessionRecord:
    """
    Attributes:
        action (str):
        created_at (str):
        endpoint (str):
        expires_at (str):
        id (str):
        instance_id (str):
        principal_id (str):
        project_id (str):
        state (ConnectSessionState):
        type_ (ConnectType):
        ended_at (None | str | Unset):
        ended_reason (None | str | Unset):
        launch_url (None | str | Unset):
        path (None | str | Unset):
        ssh (ConnectSessionRecordSSHAccess | None | Unset):
        token (None | str | Unset):
    """

    action: str
    created_at: str
    endpoint: str
    expires_at: str
    id: str
    instance_id: str
    principal_id: str
    project_id: str
    state: ConnectSessionState
    type_: ConnectType
    ended_at: None | str | Unset = UNSET
    ended_reason: None | str | Unset = UNSET
    launch_url: None | str | Unset = UNSET
    path: None | str | Unset = UNSET
    ssh: ConnectSessionRecordSSHAccess | None | Unset = UNSET
    token: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.connect_session_record_ssh_access import ConnectSessionRecordSSHAccess  # noqa: PLC0415

        action = self.action

        created_at = self.created_at

        endpoint = self.endpoint

        expires_at = self.expires_at

        id = self.id

        instance_id = self.instance_id

        principal_id = self.principal_id

        project_id = self.project_id

        state = self.state.value

        type_ = self.type_.value

        ended_at: None | str | Unset
        if isinstance(self.ended_at, Unset):
            ended_at = UNSET
        else:
            ended_at = self.ended_at

        ended_reason: None | str | Unset
        if isinstance(self.ended_reason, Unset):
            ended_reason = UNSET
        else:
            ended_reason = self.ended_reason

        launch_url: None | str | Unset
        if isinstance(self.launch_url, Unset):
            launch_url = UNSET
        else:
            launch_url = self.launch_url

        path: None | str | Unset
        if isinstance(self.path, Unset):
            path = UNSET
        else:
            path = self.path

        ssh: dict[str, Any] | None | Unset
        if isinstance(self.ssh, Unset):
            ssh = UNSET
        elif isinstance(self.ssh, ConnectSessionRecordSSHAccess):
            ssh = self.ssh.to_dict()
        else:
            ssh = self.ssh

        token: None | str | Unset
        if isinstance(self.token, Unset):
            token = UNSET
        else:
            token = self.token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "createdAt": created_at,
                "endpoint": endpoint,
                "expiresAt": expires_at,
                "id": id,
                "instanceId": instance_id,
                "principalId": principal_id,
                "projectId": project_id,
                "state": state,
                "type": type_,
            }
        )
        if ended_at is not UNSET:
            field_dict["endedAt"] = ended_at
        if ended_reason is not UNSET:
            field_dict["endedReason"] = ended_reason
        if launch_url is not UNSET:
            field_dict["launchURL"] = launch_url
        if path is not UNSET:
            field_dict["path"] = path
        if ssh is not UNSET:
            field_dict["ssh"] = ssh
        if token is not UNSET:
            field_dict["token"] = token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connect_session_record_ssh_access import ConnectSessionRecordSSHAccess  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        created_at = d.pop("createdAt")

        endpoint = d.pop("endpoint")

        expires_at = d.pop("expiresAt")

        id = d.pop("id")

        instance_id = d.pop("instanceId")

        principal_id = d.pop("principalId")

        project_id = d.pop("projectId")

        state = ConnectSessionState(d.pop("state"))

        type_ = ConnectType(d.pop("type"))

        def _parse_ended_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ended_at = _parse_ended_at(d.pop("endedAt", UNSET))

        def _parse_ended_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ended_reason = _parse_ended_reason(d.pop("endedReason", UNSET))

        def _parse_launch_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        launch_url = _parse_launch_url(d.pop("launchURL", UNSET))

        def _parse_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        path = _parse_path(d.pop("path", UNSET))

        def _parse_ssh(data: object) -> ConnectSessionRecordSSHAccess | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ssh_type_0 = ConnectSessionRecordSSHAccess.from_dict(data)

                return ssh_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConnectSessionRecordSSHAccess | None | Unset, data)

        ssh = _parse_ssh(d.pop("ssh", UNSET))

        def _parse_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token = _parse_token(d.pop("token", UNSET))

        connect_session_record = cls(
            action=action,
            created_at=created_at,
            endpoint=endpoint,
            expires_at=expires_at,
            id=id,
            instance_id=instance_id,
            principal_id=principal_id,
            project_id=project_id,
            state=state,
            type_=type_,
            ended_at=ended_at,
            ended_reason=ended_reason,
            launch_url=launch_url,
            path=path,
            ssh=ssh,
            token=token,
        )

        connect_session_record.additional_properties = d
        return connect_session_record

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
