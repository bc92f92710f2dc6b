from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.signed_envelope import SignedEnvelope
from ...types import Response


def _get_kwargs(
    project: str,
    release: str,
    digest: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/projects/{project}/releases/{release}/envelopes/{digest}".format(
            project=quote(str(project), safe=""),
            release=quote(str(release), safe=""),
            digest=quote(str(digest), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | SignedEnvelope | None:
    if response.status_code == 200:
        response_200 = SignedEnvelope.from_dict(response.json())

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
) -> Response[ErrorBody | SignedEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project: str,
    release: str,
    digest: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorBody | SignedEnvelope]:
    """One of the release's DSSE envelopes (evidence, approval or decision) by digest, to verify offline
    with the signer's public key.

    Args:
        project (str):
        release (str):
        digest (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | SignedEnvelope]
    """

    kwargs = _get_kwargs(
        project=project,
        release=release,
        digest=digest,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project: str,
    release: str,
    digest: str,
    *,
    client: AuthenticatedClient,
) -> ErrorBody | SignedEnvelope | None:
    """One of the release's DSSE envelopes (evidence, approval or decision) by digest, to verify offline
    with the signer's public key.

    Args:
        project (str):
        release (str):
        digest (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | SignedEnvelope
    """

    return sync_detailed(
        project=project,
        release=release,
        digest=digest,
        client=client,
    ).parsed


async def asyncio_detailed(
    project: str,
    release: str,
    digest: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorBody | SignedEnvelope]:
    """One of the release's DSSE envelopes (evidence, approval or decision) by digest, to verify offline
    with the signer's public key.

    Args:
        project (str):
        release (str):
        digest (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | SignedEnvelope]
    """

    kwargs = _get_kwargs(
        project=project,
        release=release,
        digest=digest,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project: str,
    release: str,
    digest: str,
    *,
    client: AuthenticatedClient,
) -> ErrorBody | SignedEnvelope | None:
    """One of the release's DSSE envelopes (evidence, approval or decision) by digest, to verify offline
    with the signer's public key.

    Args:
        project (str):
        release (str):
        digest (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | SignedEnvelope
    """

    return (
        await asyncio_detailed(
            project=project,
            release=release,
            digest=digest,
            client=client,
        )
    ).parsed
