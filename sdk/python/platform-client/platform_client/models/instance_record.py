from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.failure_reason import FailureReason
from ..models.instance_mode import InstanceMode
from ..models.instance_phase import InstancePhase
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.instance_record_endpoint import InstanceRecordEndpoint


T = TypeVar("T", bound="InstanceRecord")


@_attrs_define
class InstanceRecord:
    """
    Attributes:
        adapter (str):
        app (str):
        created_at (str):
        endpoints (list[InstanceRecordEndpoint]):
        environment (str):
        gpu_count (int):
        gpus (list[int]):
        id (str):
        image (str):
        launched_by (str):
        mode (InstanceMode):
        phase (InstancePhase):
        project_id (str):
        updated_at (str):
        version (str):
        last_exit_code (int | None | Unset):
        message (None | str | Unset):
        node (None | str | Unset):
        policy_snapshot (None | str | Unset):
        reason (FailureReason | None | Unset):
        restart_count (int | None | Unset):
        trust_flag (None | str | Unset):
    """

    adapter: str
    app: str
    created_at: str
    endpoints: list[InstanceRecordEndpoint]
    environment: str
    gpu_count: int
    gpus: list[int]
    id: str
    image: str
    launched_by: str
    mode: InstanceMode
    phase: InstancePhase
    project_id: str
    updated_at: str
    version: str
    last_exit_code: int | None | Unset = UNSET
    message: None | str | Unset = UNSET
    node: None | str | Unset = UNSET
    policy_snapshot: None | str | Unset = UNSET
    reason: FailureReason | None | Unset = UNSET
    restart_count: int | None | Unset = UNSET
    trust_flag: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        adapter = self.adapter

        app = self.app

        created_at = self.created_at

        endpoints = []
        for endpoints_item_data in self.endpoints:
            endpoints_item = endpoints_item_data.to_dict()
            endpoints.append(endpoints_item)

        environment = self.environment

        gpu_count = self.gpu_count

        gpus = self.gpus

        id = self.id

        image = self.image

        launched_by = self.launched_by

        mode = self.mode.value

        phase = self.phase.value

        project_id = self.project_id

        updated_at = self.updated_at

        version = self.version

        last_exit_code: int | None | Unset
        if isinstance(self.last_exit_code, Unset):
            last_exit_code = UNSET
        else:
            last_exit_code = self.last_exit_code

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        node: None | str | Unset
        if isinstance(self.node, Unset):
            node = UNSET
        else:
            node = self.node

        policy_snapshot: None | str | Unset
        if isinstance(self.policy_snapshot, Unset):
            policy_snapshot = UNSET
        else:
            policy_snapshot = self.policy_snapshot

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, FailureReason):
            reason = self.reason.value
        else:
            reason = self.reason

        restart_count: int | None | Unset
        if isinstance(self.restart_count, Unset):
            restart_count = UNSET
        else:
            restart_count = self.restart_count

        trust_flag: None | str | Unset
        if isinstance(self.trust_flag, Unset):
            trust_flag = UNSET
        else:
            trust_flag = self.trust_flag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "adapter": adapter,
                "app": app,
                "createdAt": created_at,
                "endpoints": endpoints,
                "environment": environment,
                "gpuCount": gpu_count,
                "gpus": gpus,
                "id": id,
                "image": image,
                "launchedBy": launched_by,
                "mode": mode,
                "phase": phase,
                "projectId": project_id,
                "updatedAt": updated_at,
                "version": version,
            }
        )
        if last_exit_code is not UNSET:
            field_dict["lastExitCode"] = last_exit_code
        if message is not UNSET:
            field_dict["message"] = message
        if node is not UNSET:
            field_dict["node"] = node
        if policy_snapshot is not UNSET:
            field_dict["policySnapshot"] = policy_snapshot
        if reason is not UNSET:
            field_dict["reason"] = reason
        if restart_count is not UNSET:
            field_dict["restartCount"] = restart_count
        if trust_flag is not UNSET:
            field_dict["trustFlag"] = trust_flag

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instance_record_endpoint import InstanceRecordEndpoint  # noqa: PLC0415

        d = dict(src_dict)
        adapter = d.pop("adapter")

        app = d.pop("app")

        created_at = d.pop("createdAt")

        endpoints = []
        _endpoints = d.pop("endpoints")
        for endpoints_item_data in _endpoints:
            endpoints_item = InstanceRecordEndpoint.from_dict(endpoints_item_data)

            endpoints.append(endpoints_item)

        environment = d.pop("environment")

        gpu_count = d.pop("gpuCount")

        gpus = cast(list[int], d.pop("gpus"))

        id = d.pop("id")

        image = d.pop("image")

        launched_by = d.pop("launchedBy")

        mode = InstanceMode(d.pop("mode"))

        phase = InstancePhase(d.pop("phase"))

        project_id = d.pop("projectId")

        updated_at = d.pop("updatedAt")

        version = d.pop("version")

        def _parse_last_exit_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_exit_code = _parse_last_exit_code(d.pop("lastExitCode", UNSET))

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        def _parse_node(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        node = _parse_node(d.pop("node", UNSET))

        def _parse_policy_snapshot(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        policy_snapshot = _parse_policy_snapshot(d.pop("policySnapshot", UNSET))

        def _parse_reason(data: object) -> FailureReason | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = FailureReason(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FailureReason | None | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_restart_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        restart_count = _parse_restart_count(d.pop("restartCount", UNSET))

        def _parse_trust_flag(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        trust_flag = _parse_trust_flag(d.pop("trustFlag", UNSET))

        instance_record = cls(
            adapter=adapter,
            app=app,
            created_at=created_at,
            endpoints=endpoints,
            environment=environment,
            gpu_count=gpu_count,
            gpus=gpus,
            id=id,
            image=image,
            launched_by=launched_by,
            mode=mode,
            phase=phase,
            project_id=project_id,
            updated_at=updated_at,
            version=version,
            last_exit_code=last_exit_code,
            message=message,
            node=node,
            policy_snapshot=policy_snapshot,
            reason=reason,
            restart_count=restart_count,
            trust_flag=trust_flag,
        )

        instance_record.additional_properties = d
        return instance_record

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
