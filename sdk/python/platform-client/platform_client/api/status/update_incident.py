from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.incident import Incident
from ...models.incident_update_request import IncidentUpdateRequest
from ...types import Response


def _get_kwargs(
    incident: str,
    *,
    body: IncidentUpdateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/status/incidents/{incident}/updates".format(
            incident=quote(str(incident), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | Incident | None:
    if response.status_code == 200:
        response_200 = Incident.from_dict(response.json())

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
) -> Response[ErrorBody | Incident]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    incident: str,
    *,
    client: AuthenticatedClient,
    body: IncidentUpdateRequest,
) -> Response[ErrorBody | Incident]:
    """Add to an incident's timeline; state `resolved` resolves it.

    Args:
        incident (str):
        body (IncidentUpdateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Incident]
    """

    kwargs = _get_kwargs(
        incident=incident,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    incident: str,
    *,
    client: AuthenticatedClient,
    body: IncidentUpdateRequest,
) -> ErrorBody | Incident | None:
    """Add to an incident's timeline; state `resolved` resolves it.

    Args:
        incident (str):
        body (IncidentUpdateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Incident
    """

    return sync_detailed(
        incident=incident,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    incident: str,
    *,
    client: AuthenticatedClient,
    body: IncidentUpdateRequest,
) -> Response[ErrorBody | Incident]:
    """Add to an incident's timeline; state `resolved` resolves it.

    Args:
        incident (str):
        body (IncidentUpdateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Incident]
    """

    kwargs = _get_kwargs(
        incident=incident,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    incident: str,
    *,
    client: AuthenticatedClient,
    body: IncidentUpdateRequest,
) -> ErrorBody | Incident | None:
    """Add to an incident's timeline; state `resolved` resolves it.

    Args:
        incident (str):
        body (IncidentUpdateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Incident
    """

    return (
        await asyncio_detailed(
            incident=incident,
            client=client,
            body=body,
        )
    ).parsed
