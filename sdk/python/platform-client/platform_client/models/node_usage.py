from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.node_state import NodeState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.node_usage_device import NodeUsageDevice
    from ..models.node_usage_gpu_group import NodeUsageGPUGroup


T = TypeVar("T", bound="NodeUsage")


@_attrs_define
class NodeUsage:
    """
    Attributes:
        node (str):
        adapter (None | str | Unset):
        cpus (int | None | Unset):
        cpus_allocated (int | None | Unset):
        devices (list[NodeUsageDevice] | None | Unset):
        gpus (list[NodeUsageGPUGroup] | None | Unset):
        memory_allocated_mi_b (int | None | Unset):
        memory_mi_b (int | None | Unset):
        partitions (list[str] | None | Unset):
        reason (None | str | Unset):
        state (NodeState | None | Unset):
    """

    node: str
    adapter: None | str | Unset = UNSET
    cpus: int | None | Unset = UNSET
    cpus_allocated: int | None | Unset = UNSET
    devices: list[NodeUsageDevice] | None | Unset = UNSET
    gpus: list[NodeUsageGPUGroup] | None | Unset = UNSET
    memory_allocated_mi_b: int | None | Unset = UNSET
    memory_mi_b: int | None | Unset = UNSET
    partitions: list[str] | None | Unset = UNSET
    reason: None | str | Unset = UNSET
    state: NodeState | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        node = self.node

        adapter: None | str | Unset
        if isinstance(self.adapter, Unset):
            adapter = UNSET
        else:
            adapter = self.adapter

        cpus: int | None | Unset
        if isinstance(self.cpus, Unset):
            cpus = UNSET
        else:
            cpus = self.cpus

        cpus_allocated: int | None | Unset
        if isinstance(self.cpus_allocated, Unset):
            cpus_allocated = UNSET
        else:
            cpus_allocated = self.cpus_allocated

        devices: list[dict[str, Any]] | None | Unset
        if isinstance(self.devices, Unset):
            devices = UNSET
        elif isinstance(self.devices, list):
            devices = []
            for devices_type_0_item_data in self.devices:
                devices_type_0_item = devices_type_0_item_data.to_dict()
                devices.append(devices_type_0_item)

        else:
            devices = self.devices

        gpus: list[dict[str, Any]] | None | Unset
        if isinstance(self.gpus, Unset):
            gpus = UNSET
        elif isinstance(self.gpus, list):
            gpus = []
            for gpus_type_0_item_data in self.gpus:
                gpus_type_0_item = gpus_type_0_item_data.to_dict()
                gpus.append(gpus_type_0_item)

        else:
            gpus = self.gpus

        memory_allocated_mi_b: int | None | Unset
        if isinstance(self.memory_allocated_mi_b, Unset):
            memory_allocated_mi_b = UNSET
        else:
            memory_allocated_mi_b = self.memory_allocated_mi_b

        memory_mi_b: int | None | Unset
        if isinstance(self.memory_mi_b, Unset):
            memory_mi_b = UNSET
        else:
            memory_mi_b = self.memory_mi_b

        partitions: list[str] | None | Unset
        if isinstance(self.partitions, Unset):
            partitions = UNSET
        elif isinstance(self.partitions, list):
            partitions = self.partitions

        else:
            partitions = self.partitions

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        elif isinstance(self.state, NodeState):
            state = self.state.value
        else:
            state = self.state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "node": node,
            }
        )
        if adapter is not UNSET:
            field_dict["adapter"] = adapter
        if cpus is not UNSET:
            field_dict["cpus"] = cpus
        if cpus_allocated is not UNSET:
            field_dict["cpusAllocated"] = cpus_allocated
        if devices is not UNSET:
            field_dict["devices"] = devices
        if gpus is not UNSET:
            field_dict["gpus"] = gpus
        if memory_allocated_mi_b is not UNSET:
            field_dict["memoryAllocatedMiB"] = memory_allocated_mi_b
        if memory_mi_b is not UNSET:
            field_dict["memoryMiB"] = memory_mi_b
        if partitions is not UNSET:
            field_dict["partitions"] = partitions
        if reason is not UNSET:
            field_dict["reason"] = reason
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.node_usage_device import NodeUsageDevice  # noqa: PLC0415
        from ..models.node_usage_gpu_group import NodeUsageGPUGroup  # noqa: PLC0415

        d = dict(src_dict)
        node = d.pop("node")

        def _parse_adapter(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        adapter = _parse_adapter(d.pop("adapter", UNSET))

        def _parse_cpus(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        cpus = _parse_cpus(d.pop("cpus", UNSET))

        def _parse_cpus_allocated(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        cpus_allocated = _parse_cpus_allocated(d.pop("cpusAllocated", UNSET))

        def _parse_devices(data: object) -> list[NodeUsageDevice] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                devices_type_0 = []
                _devices_type_0 = data
                for devices_type_0_item_data in _devices_type_0:
                    devices_type_0_item = NodeUsageDevice.from_dict(devices_type_0_item_data)

                    devices_type_0.append(devices_type_0_item)

                return devices_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[NodeUsageDevice] | None | Unset, data)

        devices = _parse_devices(d.pop("devices", UNSET))

        def _parse_gpus(data: object) -> list[NodeUsageGPUGroup] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                gpus_type_0 = []
                _gpus_type_0 = data
                for gpus_type_0_item_data in _gpus_type_0:
                    gpus_type_0_item = NodeUsageGPUGroup.from_dict(gpus_type_0_item_data)

                    gpus_type_0.append(gpus_type_0_item)

                return gpus_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[NodeUsageGPUGroup] | None | Unset, data)

        gpus = _parse_gpus(d.pop("gpus", UNSET))

        def _parse_memory_allocated_mi_b(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        memory_allocated_mi_b = _parse_memory_allocated_mi_b(d.pop("memoryAllocatedMiB", UNSET))

        def _parse_memory_mi_b(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        memory_mi_b = _parse_memory_mi_b(d.pop("memoryMiB", UNSET))

        def _parse_partitions(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                partitions_type_0 = cast(list[str], data)

                return partitions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        partitions = _parse_partitions(d.pop("partitions", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_state(data: object) -> NodeState | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_0 = NodeState(data)

                return state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NodeState | None | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        node_usage = cls(
            node=node,
            adapter=adapter,
            cpus=cpus,
            cpus_allocated=cpus_allocated,
            devices=devices,
            gpus=gpus,
            memory_allocated_mi_b=memory_allocated_mi_b,
            memory_mi_b=memory_mi_b,
            partitions=partitions,
            reason=reason,
            state=state,
        )

        node_usage.additional_properties = d
        return node_usage

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
