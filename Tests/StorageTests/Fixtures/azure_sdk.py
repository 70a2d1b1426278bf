#!/usr/bin/env python3
"""Prints what azure-storage-blob computes for the cases in AzureSharedKeyTests.swift.

Run: python3 azure_sdk.py
"""
import datetime
from urllib.parse import quote

from azure.core.pipeline import PipelineContext, PipelineRequest
from azure.core.rest import HttpRequest
import azure.storage.blob._shared_access_signature as blob_sas
from azure.storage.blob import BlobSasPermissions, generate_blob_sas
from azure.storage.blob._shared.authentication import SharedKeyCredentialPolicy

ACCOUNT = "tesseraacct"
# Base64 of the bytes 0..63: a made-up key.
KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="
VERSION = "2021-08-06"
DATE = "Thu, 26 Nov 2026 09:30:00 GMT"


def shared_key(name, method, url, headers):
    request = HttpRequest(method, url, headers=headers)
    pipeline_request = PipelineRequest(request, PipelineContext(None))
    SharedKeyCredentialPolicy(ACCOUNT, KEY).on_request(pipeline_request)
    print(f"{name}.Authorization = {request.headers['Authorization']}")


# The blob name encoded as the SDK's BlobClient encodes it (quote with safe "~/").
base = (f"https://{ACCOUNT}.blob.core.windows.net/recordings/"
        + quote("meetings/acme_1234_1700000000000 (1).mp4", safe="~/"))

# Put Block: 4 bytes, block id "YmxvY2stMDAwMDAx" (base64 of "block-000001").
shared_key("putBlock", "PUT", base + "?comp=block&blockid=YmxvY2stMDAwMDAx", {
    "x-ms-date": DATE, "x-ms-version": VERSION, "Content-Length": "4",
})
# Put Block List: XML body of 120 bytes, with the blob's content type.
shared_key("putBlockList", "PUT", base + "?comp=blocklist", {
    "x-ms-date": DATE, "x-ms-version": VERSION, "Content-Length": "120",
    "Content-Type": "application/xml", "x-ms-blob-content-type": "video/mp4",
})
# Put Blob (block blob) on a loopback endpoint with the account in the path (Azurite style).
shared_key("putBlobLoopback", "PUT", f"http://127.0.0.1:10000/{ACCOUNT}/recordings/a.webm", {
    "x-ms-date": DATE, "x-ms-version": VERSION, "Content-Length": "11",
    "Content-Type": "video/webm", "x-ms-blob-type": "BlockBlob",
})

# Service SAS: read, 7 days from the fixed time, https only. The SDK signs with its newest
# service version; pin it to the one Tessera sends.
blob_sas.X_MS_VERSION = VERSION
start = datetime.datetime(2026, 11, 26, 9, 30, 0, tzinfo=datetime.timezone.utc)
sas = generate_blob_sas(
    ACCOUNT, "recordings", "meetings/acme_1234_1700000000000 (1).mp4",
    account_key=KEY, permission=BlobSasPermissions(read=True),
    start=start, expiry=start + datetime.timedelta(days=7), protocol="https")
print(f"sas = {sas}")
