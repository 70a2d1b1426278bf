#!/usr/bin/env python3
"""Prints what botocore computes for the SigV4 cases in SigV4Tests.swift.

The signing time is frozen at 2026-11-26T09:30:00Z. Run: python3 sigv4_botocore.py
"""
import datetime
import hashlib

import boto3
import botocore.auth
import botocore.compat
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.utils import percent_encode

FROZEN = datetime.datetime(2026, 11, 26, 9, 30, 0)
botocore.auth.get_current_datetime = lambda: FROZEN
botocore.compat.get_current_datetime = lambda: FROZEN

ACCESS = "AKIDTESSERAEXAMPLE01"
SECRET = "tessera/SECRET+key/EXAMPLE0123456789abcd"
CREDS = Credentials(ACCESS, SECRET)


def header_signed(name, method, url, headers, body, region, sign_payload=True):
    request = AWSRequest(method=method, url=url, headers=headers, data=body)
    if not sign_payload:
        request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    botocore.auth.S3SigV4Auth(CREDS, "s3", region).add_auth(request)
    print(f"{name}.x-amz-content-sha256 = {request.headers['X-Amz-Content-SHA256']}")
    print(f"{name}.Authorization = {request.headers['Authorization']}")


# 1. PutObject, path style on a custom http endpoint with a port; key with spaces and
#    parentheses; signed payload (botocore always hashes over http).
key = "meetings/acme_1234_1700000000000 (final).mp4"
header_signed(
    "putObjectPathStyle", "PUT",
    "http://127.0.0.1:9000/tessera-test/" + percent_encode(key, safe="/~"),
    {"Content-Type": "video/mp4"}, b"hello tessera", "us-east-1")

# 2. UploadPart, virtual-host style on AWS over https, query needing encoding,
#    UNSIGNED-PAYLOAD.
header_signed(
    "uploadPartVirtualHost", "PUT",
    "https://tessera-rec.s3.eu-west-1.amazonaws.com/rec/a%2Bb.mp4?partNumber=2&uploadId=Xy%2F9%2Bz%3D%3D",
    {}, b"part bytes", "eu-west-1", sign_payload=False)

# 3. CreateMultipartUpload (POST ?uploads) with an empty body on R2-style path endpoint.
header_signed(
    "createMultipartR2", "POST",
    "https://0123abcd.r2.cloudflarestorage.com/bucket/k.webm?uploads",
    {}, b"", "auto")

# Presigned GETs through the real client (its own key encoding), 7 days.
def presign(name, endpoint, region, style, bucket, key):
    client = boto3.client(
        "s3", region_name=region, endpoint_url=endpoint,
        aws_access_key_id=ACCESS, aws_secret_access_key=SECRET,
        config=Config(signature_version="s3v4", s3={"addressing_style": style}))
    url = client.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=604800)
    print(f"{name} = {url}")


presign("presignVirtualHostAWS", "https://s3.eu-west-1.amazonaws.com", "eu-west-1",
        "virtual", "tessera-rec", "meetings/été ü+1.mp4")
presign("presignPathStyleLoopback", "http://127.0.0.1:9000", "us-east-1",
        "path", "tessera-test", "a/b c.mp4")
