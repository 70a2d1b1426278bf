import Foundation
import Testing

@testable import Storage

/// Expected values come from Fixtures/azure_sdk.py (azure-storage-blob 12.31.1).
struct AzureSharedKeyTests {
    static let key =
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="
    static let account = try! AzureAccount(
        connectionString:
            "DefaultEndpointsProtocol=https;AccountName=tesseraacct;AccountKey=\(key);EndpointSuffix=core.windows.net"
    )
    static let date = "Thu, 26 Nov 2026 09:30:00 GMT"
    static let blobPath = "/recordings/meetings/acme_1234_1700000000000%20%281%29.mp4"

    @Test func connectionStringDefaults() {
        #expect(Self.account.name == "tesseraacct")
        #expect(Self.account.blobEndpoint == "https://tesseraacct.blob.core.windows.net")
        #expect(Self.account.key == Data(0..<64))
    }

    @Test func connectionStringWithBlobEndpoint() throws {
        let account = try AzureAccount(
            connectionString:
                " AccountName=dev ; AccountKey=\(Self.key);BlobEndpoint=http://127.0.0.1:10000/dev/;"
        )
        #expect(account.blobEndpoint == "http://127.0.0.1:10000/dev")
    }

    @Test func connectionStringErrorsNameTheSettingNotTheKey() {
        let cases = [
            "AccountKey=\(Self.key)", "AccountName=a", "AccountName=a;AccountKey=%%%notbase64",
            "AccountName=a;AccountKey=\(Self.key);DefaultEndpointsProtocol=ftp", "garbage",
        ]
        for text in cases {
            do {
                _ = try AzureAccount(connectionString: text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.field == "access_key")
                #expect(
                    !error.description.contains(Self.key)
                        && !error.description.contains("notbase64"))
            }
        }
    }

    @Test func accountDoesNotPrintItsKey() {
        let text = "\(Self.account) \(String(reflecting: Self.account))"
        #expect(!text.contains(Self.key) && !text.contains("AAECAw"))
    }

    @Test func putBlockMatchesSDK() {
        let authorization = AzureSharedKey.authorization(
            method: "PUT", encodedPath: Self.blobPath,
            query: [HTTPHeader("comp", "block"), HTTPHeader("blockid", "YmxvY2stMDAwMDAx")],
            headers: [
                HTTPHeader("x-ms-date", Self.date), HTTPHeader("x-ms-version", "2021-08-06"),
                HTTPHeader("Content-Length", "4"),
            ], account: Self.account)
        #expect(
            authorization == "SharedKey tesseraacct:qO3RvOy3Ne626vHdW6yHnVb7cqFgUR5uYmIT/lVjwic=")
    }

    @Test func putBlockListMatchesSDK() {
        let authorization = AzureSharedKey.authorization(
            method: "PUT", encodedPath: Self.blobPath, query: [HTTPHeader("comp", "blocklist")],
            headers: [
                HTTPHeader("x-ms-date", Self.date), HTTPHeader("x-ms-version", "2021-08-06"),
                HTTPHeader("Content-Length", "120"), HTTPHeader("Content-Type", "application/xml"),
                HTTPHeader("x-ms-blob-content-type", "video/mp4"),
            ], account: Self.account)
        #expect(
            authorization == "SharedKey tesseraacct:74blCEFJpX1sVd/QgX8bnubbs7AEJWWmTkRjnwiDvPg=")
    }

    @Test func putBlobOnPathStyleEndpointMatchesSDK() {
        let authorization = AzureSharedKey.authorization(
            method: "PUT", encodedPath: "/tesseraacct/recordings/a.webm", query: [],
            headers: [
                HTTPHeader("x-ms-date", Self.date), HTTPHeader("x-ms-version", "2021-08-06"),
                HTTPHeader("Content-Length", "11"), HTTPHeader("Content-Type", "video/webm"),
                HTTPHeader("x-ms-blob-type", "BlockBlob"),
            ], account: Self.account)
        #expect(
            authorization == "SharedKey tesseraacct:d5xioYIpleon3Eg4KPbla8SfsQDTS4v+xgBOVFKs7uM=")
    }

    @Test func readSASMatchesSDK() {
        let start = Date(timeIntervalSince1970: 1_795_685_400)
        let token = AzureBlobSAS.readToken(
            account: Self.account, container: "recordings",
            blobName: "meetings/acme_1234_1700000000000 (1).mp4", start: start,
            expiry: start.addingTimeInterval(7 * 86_400), allowHTTP: false)
        #expect(
            token
                == "st=2026-11-26T09%3A30%3A00Z&se=2026-12-03T09%3A30%3A00Z&sp=r&spr=https&sv=2021-08-06&sr=b&sig=d2SNrXiTKtPuKu2tKLEE0EO04sih7QDeeAAUFLkyOr0%3D"
        )
    }
}
