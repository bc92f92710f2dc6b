from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.instance_record import InstanceRecord
from ...types import UNSET, Response, Unset


def _get_kwargs(
    project: str,
    *,
    limit: int | Unset = UNSET,
    before: str | Unset = UNSET,
    state: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["before"] = before

    params["state"] = state

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/projects/{project}/instances".format(
            project=quote(str(project), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | list[InstanceRecord] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = InstanceRecord.from_dict(response_200_item_data)

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
) -> Response[ErrorBody | list[InstanceRecord]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    before: str | Unset = UNSET,
    state: str | Unset = UNSET,
) -> Response[ErrorBody | list[InstanceRecord]]:
    """List the project's instances, newest first; with `limit`, one page, and a full page's `Link` header
    names the next (`before`).

    Args:
        project (str):
        limit (int | Unset):
        before (str | Unset):
        state (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[InstanceRecord]]
    """

    kwargs = _get_kwargs(
        project=project,
        limit=limit,
        before=before,
        state=state,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    before: str | Unset = UNSET,
    state: str | Unset = UNSET,
) -> ErrorBody | list[InstanceRecord] | None:
    """List the project's instances, newest first; with `limit`, one page, and a full page's `Link` header
    names the next (`before`).

    Args:
        project (str):
        limit (int | Unset):
        before (str | Unset):
        state (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[InstanceRecord]
    """

    return sync_detailed(
        project=project,
        client=client,
        limit=limit,
        before=before,
        state=state,
    ).parsed


async def asyncio_detailed(
    project: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    before: str | Unset = UNSET,
    state: str | Unset = UNSET,
) -> Response[ErrorBody | list[InstanceRecord]]:
    """List the project's instances, newest first; with `limit`, one page, and a full page's `Link` header
    names the next (`before`).

    Args:
        project (str):
        limit (int | Unset):
        before (str | Unset):
        state (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[InstanceRecord]]
    """

    kwargs = _get_kwargs(
        project=project,
        limit=limit,
        before=before,
        state=state,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    before: str | Unset = UNSET,
    state: str | Unset = UNSET,
) -> ErrorBody | list[InstanceRecord] | None:
    """List the project's instances, newest first; with `limit`, one page, and a full page's `Link` header
    names the next (`before`).

    Args:
        project (str):
        limit (int | Unset):
        before (str | Unset):
        state (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[InstanceRecord]
    """

    return (
        await asyncio_detailed(
            project=project,
            client=client,
            limit=limit,
            before=before,
            state=state,
        )
    ).parsed
