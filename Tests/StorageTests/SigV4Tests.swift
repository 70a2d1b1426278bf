import Foundation
import Testing

@testable import Storage

/// Expected values come from Fixtures/sigv4_botocore.py (botocore 1.43.11, frozen time
/// 2026-11-26T09:30:00Z), except the first test, which uses AWS's published example.
struct SigV4Tests {
    static let credentials = S3Credentials(
        accessKeyID: "AKIDTESSERAEXAMPLE01",
        secretAccessKey: "tessera/SECRET+key/EXAMPLE0123456789abcd"
    )
    static let signingTime = Date(timeIntervalSince1970: 1_795_685_400)  // 2026-11-26T09:30:00Z

    /// "Example: GET Object" of the S3 API reference, "Authenticating Requests: Using the
    /// Authorization Header (AWS Signature Version 4)": the first 10 bytes of test.txt.
    @Test func awsPublishedGetObjectExample() {
        let request = SigV4Request(
            method: "GET", host: "examplebucket.s3.amazonaws.com", encodedPath: "/test.txt",
            headers: [HTTPHeader("Range", "bytes=0-9")])
        let headers = SigV4.signedHeaders(
            for: request, payloadHash: SigV4.emptyPayloadHash,
            credentials: S3Credentials(
                accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", date: Date(timeIntervalSince1970: 1_369_353_600))
        let authorization = headers.first { $0.name == "Authorization" }?.value
        // AWS prints the components joined by "," and botocore by ", "; both are valid.
        #expect(
            authorization?.replacingOccurrences(of: ", ", with: ",")
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
        #expect(headers.first { $0.name == "x-amz-date" }?.value == "20130524T000000Z")
    }

    @Test func putObjectPathStyleMatchesBotocore() throws {
        let endpoint = try S3Endpoint(url: "http://127.0.0.1:9000", region: "us-east-1")
        let address = endpoint.address(
            bucket: "tessera-test", key: "meetings/acme_1234_1700000000000 (final).mp4")
        #expect(address.host == "127.0.0.1:9000")
        #expect(
            address.encodedPath
                == "/tessera-test/meetings/acme_1234_1700000000000%20%28final%29.mp4")
        let payloadHash = SigV4.payloadHash(Data("hello tessera".utf8))
        #expect(payloadHash == "fefe12ad499f0db11fb4ccf28b8932cb247e03ea85f0ec074e0ed59869707b5d")
        let headers = SigV4.signedHeaders(
            for: SigV4Request(
                method: "PUT", host: address.host, encodedPath: address.encodedPath,
                headers: [HTTPHeader("Content-Type", "video/mp4")]),
            payloadHash: payloadHash, credentials: Self.credentials, region: "us-east-1",
            date: Self.signingTime)
        #expect(
            headers.first { $0.name == "Authorization" }?.value
                == "AWS4-HMAC-SHA256 Credential=AKIDTESSERAEXAMPLE01/20261126/us-east-1/s3/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=c41a36c7aac91429977b1891587082d48831f47b1f04aa989803d04a5ac17b09"
        )
    }

    @Test func uploadPartVirtualHostUnsignedPayloadMatchesBotocore() {
        let address = S3Endpoint.aws(region: "eu-west-1").address(
            bucket: "tessera-rec", key: "rec/a+b.mp4")
        #expect(address.host == "tessera-rec.s3.eu-west-1.amazonaws.com")
        #expect(address.encodedPath == "/rec/a%2Bb.mp4")
        let headers = SigV4.signedHeaders(
            for: SigV4Request(
                method: "PUT", host: address.host, encodedPath: address.encodedPath,
                query: [HTTPHeader("partNumber", "2"), HTTPHeader("uploadId", "Xy/9+z==")]),
            payloadHash: SigV4.unsignedPayload, credentials: Self.credentials, region: "eu-west-1",
            date: Self.signingTime)
        #expect(headers.first { $0.name == "x-amz-content-sha256" }?.value == "UNSIGNED-PAYLOAD")
        #expect(
            headers.first { $0.name == "Authorization" }?.value
                == "AWS4-HMAC-SHA256 Credential=AKIDTESSERAEXAMPLE01/20261126/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=5f7e57db4f500f58205b2799fa88ca79f3b2c48bfc7d44238e85fbdb3f5f6bf3"
        )
    }

    @Test func createMultipartUploadOnR2MatchesBotocore() throws {
        let endpoint = try S3Endpoint(
            url: "https://0123abcd.r2.cloudflarestorage.com", region: "auto")
        let address = endpoint.address(bucket: "bucket", key: "k.webm")
        let headers = SigV4.signedHeaders(
            for: SigV4Request(
                method: "POST", host: address.host, encodedPath: address.encodedPath,
                query: [HTTPHeader("uploads", "")]),
            payloadHash: SigV4.emptyPayloadHash, credentials: Self.credentials, region: "auto",
            date: Self.signingTime)
        #expect(
            headers.first { $0.name == "Authorization" }?.value
                == "AWS4-HMAC-SHA256 Credential=AKIDTESSERAEXAMPLE01/20261126/auto/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=83984ee6affb3204355343872199431d90d12c660d4f219321d089baa9037e65"
        )
    }

    @Test func presignedVirtualHostURLMatchesBotocore() throws {
        let address = S3Endpoint.aws(region: "eu-west-1").address(
            bucket: "tessera-rec", key: "meetings/été ü+1.mp4")
        let url = try SigV4.presignedURL(
            for: SigV4Request(method: "GET", host: address.host, encodedPath: address.encodedPath),
            scheme: "https", credentials: Self.credentials, region: "eu-west-1",
            date: Self.signingTime,
            expiresSeconds: SigV4.maxPresignedExpirySeconds)
        #expect(
            url
                == "https://tessera-rec.s3.eu-west-1.amazonaws.com/meetings/%C3%A9t%C3%A9%20%C3%BC%2B1.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDTESSERAEXAMPLE01%2F20261126%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261126T093000Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Signature=073cb8fd8c5c2682b5d489602442612c2b73e8cb36b151dd1bc22d865a6b343b"
        )
    }

    @Test func presignedPathStyleURLMatchesBotocore() throws {
        let endpoint = try S3Endpoint(url: "http://127.0.0.1:9000", region: "us-east-1")
        let address = endpoint.address(bucket: "tessera-test", key: "a/b c.mp4")
        let url = try SigV4.presignedURL(
            for: SigV4Request(method: "GET", host: address.host, encodedPath: address.encodedPath),
            scheme: "http", credentials: Self.credentials, region: "us-east-1",
            date: Self.signingTime,
            expiresSeconds: 604_800)
        #expect(
            url
                == "http://127.0.0.1:9000/tessera-test/a/b%20c.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDTESSERAEXAMPLE01%2F20261126%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261126T093000Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Signature=56c6cfe4998988f290f7830af29df0cdc5ea2a80608dd8fbae7fbaf6456dc95d"
        )
    }

    @Test func presignRejectsExpiryBeyondSevenDays() {
        let request = SigV4Request(method: "GET", host: "h", encodedPath: "/b/k")
        #expect(throws: StorageConfigurationError.self) {
            try SigV4.presignedURL(
                for: request, scheme: "https", credentials: Self.credentials, region: "us-east-1",
                date: Self.signingTime, expiresSeconds: 604_801)
        }
    }

    @Test func dottedBucketFallsBackToPathStyle() {
        let address = S3Endpoint.aws(region: "us-east-1").address(bucket: "my.bucket", key: "k")
        #expect(address.host == "s3.us-east-1.amazonaws.com")
        #expect(address.encodedPath == "/my.bucket/k")
    }

    @Test func endpointURLParsing() throws {
        let endpoint = try S3Endpoint(url: "HTTPS://Example.COM:8443/ignored", region: "r")
        #expect(
            endpoint.scheme == "https" && endpoint.host == "example.com" && endpoint.port == 8443)
        #expect(throws: StorageConfigurationError.self) {
            try S3Endpoint(url: "ftp://x", region: "r")
        }
        #expect(throws: StorageConfigurationError.self) {
            try S3Endpoint(url: "http://x:99999", region: "r")
        }
        #expect(throws: StorageConfigurationError.self) {
            try S3Endpoint(url: "http://user:pw@x", region: "r")
        }
    }

    @Test func credentialsDoNotPrint() {
        let text = "\(Self.credentials) \(String(reflecting: Self.credentials))"
        #expect(!text.contains("AKIDTESSERAEXAMPLE01") && !text.contains("SECRET"))
    }

    @Test func utcTimeForms() {
        let time = UTCTime(epochSeconds: 1_795_685_400)
        #expect(time.basicISO8601 == "20261126T093000Z")
        #expect(time.extendedISO8601 == "2026-11-26T09:30:00Z")
        #expect(time.rfc1123 == "Thu, 26 Nov 2026 09:30:00 GMT")
        #expect(UTCTime(epochSeconds: 951_782_400).extendedISO8601 == "2000-02-29T00:00:00Z")
        #expect(UTCTime(epochSeconds: 0).rfc1123 == "Thu, 01 Jan 1970 00:00:00 GMT")
    }
}
