/// RFC 3986 percent-encoding as the S3 and Azure signatures define it: every byte of the
/// UTF-8 form except the unreserved characters `A-Z a-z 0-9 - _ . ~` becomes `%XX` (upper-case
/// hex). Object keys keep `/` as the path separator; query names and values encode it too.
enum PercentEncoding {
    static func encode(_ text: String, keepSlash: Bool) -> String {
        let hex: [Character] = Array("0123456789ABCDEF")
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: "~"):
                result.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: "/") where keepSlash:
                result.append("/")
            default:
                result.append("%")
                result.append(hex[Int(byte >> 4)])
                result.append(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }

    /// `name=value&…` in the given order, both encoded; a parameter with an empty value is
    /// written as its name alone (`?uploads`).
    static func query(_ parameters: [HTTPHeader]) -> String {
        parameters.map {
            let name = encode($0.name, keepSlash: false)
            return $0.value.isEmpty ? name : "\(name)=\(encode($0.value, keepSlash: false))"
        }
        .joined(separator: "&")
    }
}
