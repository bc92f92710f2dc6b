from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.connect_refresh_request import ConnectRefreshRequest
from ...models.connect_session_record import ConnectSessionRecord
from ...models.error_body import ErrorBody
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


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConnectSessionRecord | ErrorBody | None:
    if response.status_code == 200:
        response_200 = ConnectSessionRecord.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ConnectSessionRecord | ErrorBody]:
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
) -> Response[ConnectSessionRecord | ErrorBody]:
    """Extend a live session from now (at most the policy's TTL); SSH sessions may get a new certificate.

    Args:
        project (str):
        session (str):
        body (ConnectRefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectSessionRecord | ErrorBody]
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
) -> ConnectSessionRecord | ErrorBody | None:
    """Extend a live session from now (at most the policy's TTL); SSH sessions may get a new certificate.

    Args:
        project (str):
        session (str):
        body (ConnectRefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectSessionRecord | ErrorBody
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
) -> Response[ConnectSessionRecord | ErrorBody]:
    """Extend a live session from now (at most the policy's TTL); SSH sessions may get a new certificate.

    Args:
        project (str):
        session (str):
        body (ConnectRefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectSessionRecord | ErrorBody]
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
) -> ConnectSessionRecord | ErrorBody | None:
    """Extend a live session from now (at most the policy's TTL); SSH sessions may get a new certificate.

    Args:
        project (str):
        session (str):
        body (ConnectRefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectSessionRecord | ErrorBody
    """

    return (
        await asyncio_detailed(
            project=project,
            session=session,
            client=client,
            body=body,
        )
    ).parsed
