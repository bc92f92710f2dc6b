from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.connect_refresh_request import ConnectRefreshRequest
from ...models.connect_session import ConnectSession
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    project: str,
    session: str,
    *,
    body: ConnectRefreshRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/projects/{project}/connect-sessions/{session}/refresh".format(
            project=quote(str(project), safe=""),
            session=quote(str(session), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ConnectSession | Error | None:
    if response.status_code == 200:
        response_200 = ConnectSession.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ConnectSession | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project: str,
    session: str,
    *,
    client: AuthenticatedClient,
    body: ConnectRefreshRequest,
) -> Response[ConnectSession | Error]:
    """Extend a live session from now (at most the policy's TTL); SSH sessions may get a new certificate.

    Args:
        project (str):
        session (str):
        body (ConnectRefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectSession | Error]
    """

    kwargs = _get_kwargs(
        project=project,
        session=session,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project: str,
    session: str,
    *,
    client: AuthenticatedClient,
    body: ConnectRefreshRequest,
) -> ConnectSession | Error | None:
    """Extend a live session from now (at most the policy's TTL); SSH sessions may get a new certificate.

    Args:
        project (str):
        session (str):
        body (ConnectRefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectSession | Error
    """

    return sync_detailed(
        project=project,
        session=session,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project: str,
    session: str,
    *,
    client: AuthenticatedClient,
    body: ConnectRefreshRequest,
) -> Response[ConnectSession | Error]:
    """Extend a live session from now (at most the policy's TTL); SSH sessions may get a new certificate.

    Args:
        project (str):
        session (str):
        body (ConnectRefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectSession | Error]
    """

    kwargs = _get_kwargs(
        project=project,
        session=session,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project: str,
    session: str,
    *,
    client: AuthenticatedClient,
    body: ConnectRefreshRequest,
) -> ConnectSession | Error | None:
    """Extend a live session from now (at most the policy's TTL); SSH sessions may get a new certificate.

    Args:
        project (str):
        session (str):
        body (ConnectRefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectSession | Error
    """

    return (
        await asyncio_detailed(
            project=project,
            session=session,
            client=client,
            body=body,
        )
    ).parsed
