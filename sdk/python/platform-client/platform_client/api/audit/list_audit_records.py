from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_record import AuditRecord
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    action: str | Unset = UNSET,
    since: str | Unset = UNSET,
    after: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    actor: str | Unset = UNSET,
    target: str | Unset = UNSET,
    request: str | Unset = UNSET,
    correlation: str | Unset = UNSET,
    order: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["action"] = action

    params["since"] = since

    params["after"] = after

    params["limit"] = limit

    params["actor"] = actor

    params["target"] = target

    params["request"] = request

    params["correlation"] = correlation

    params["order"] = order

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/records",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | list[AuditRecord] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = AuditRecord.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | list[AuditRecord]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    action: str | Unset = UNSET,
    since: str | Unset = UNSET,
    after: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    actor: str | Unset = UNSET,
    target: str | Unset = UNSET,
    request: str | Unset = UNSET,
    correlation: str | Unset = UNSET,
    order: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[ErrorBody | list[AuditRecord]]:
    """List audit records.

    Args:
        action (str | Unset):
        since (str | Unset):
        after (int | Unset):
        limit (int | Unset):
        actor (str | Unset):
        target (str | Unset):
        request (str | Unset):
        correlation (str | Unset):
        order (str | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[AuditRecord]]
    """

    kwargs = _get_kwargs(
        action=action,
        since=since,
        after=after,
        limit=limit,
        actor=actor,
        target=target,
        request=request,
        correlation=correlation,
        order=order,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    action: str | Unset = UNSET,
    since: str | Unset = UNSET,
    after: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    actor: str | Unset = UNSET,
    target: str | Unset = UNSET,
    request: str | Unset = UNSET,
    correlation: str | Unset = UNSET,
    order: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> ErrorBody | list[AuditRecord] | None:
    """List audit records.

    Args:
        action (str | Unset):
        since (str | Unset):
        after (int | Unset):
        limit (int | Unset):
        actor (str | Unset):
        target (str | Unset):
        request (str | Unset):
        correlation (str | Unset):
        order (str | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[AuditRecord]
    """

    return sync_detailed(
        client=client,
        action=action,
        since=since,
        after=after,
        limit=limit,
        actor=actor,
        target=target,
        request=request,
        correlation=correlation,
        order=order,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    action: str | Unset = UNSET,
    since: str | Unset = UNSET,
    after: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    actor: str | Unset = UNSET,
    target: str | Unset = UNSET,
    request: str | Unset = UNSET,
    correlation: str | Unset = UNSET,
    order: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[ErrorBody | list[AuditRecord]]:
    """List audit records.

    Args:
        action (str | Unset):
        since (str | Unset):
        after (int | Unset):
        limit (int | Unset):
        actor (str | Unset):
        target (str | Unset):
        request (str | Unset):
        correlation (str | Unset):
        order (str | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[AuditRecord]]
    """

    kwargs = _get_kwargs(
        action=action,
        since=since,
        after=after,
        limit=limit,
        actor=actor,
        target=target,
        request=request,
        correlation=correlation,
        order=order,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    action: str | Unset = UNSET,
    since: str | Unset = UNSET,
    after: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    actor: str | Unset = UNSET,
    target: str | Unset = UNSET,
    request: str | Unset = UNSET,
    correlation: str | Unset = UNSET,
    order: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> ErrorBody | list[AuditRecord] | None:
    """List audit records.

    Args:
        action (str | Unset):
        since (str | Unset):
        after (int | Unset):
        limit (int | Unset):
        actor (str | Unset):
        target (str | Unset):
        request (str | Unset):
        correlation (str | Unset):
        order (str | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[AuditRecord]
    """

    return (
        await asyncio_detailed(
            client=client,
            action=action,
            since=since,
            after=after,
            limit=limit,
            actor=actor,
            target=target,
            request=request,
            correlation=correlation,
            order=order,
            cursor=cursor,
        )
    ).parsed
