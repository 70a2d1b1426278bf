/// The SFTP version 3 messages this client sends and reads (draft-ietf-secsh-filexfer-02, as
/// OpenSSH implements it). Every packet is framed the same way:
///
///     uint32  length      of what follows
///     byte    type
///     uint32  request-id  (absent in INIT and VERSION)
///     ...     type-specific fields, SSH wire encoded
enum SFTPRequest: Sendable, Hashable {
    /// `uint32 version`
    case initialize(version: UInt32)
    /// `string filename, uint32 pflags, ATTRS attrs`
    case open(path: String, flags: OpenFlags, permissions: UInt32?)
    /// `string handle`
    case close(handle: [UInt8])
    /// `string handle, uint64 offset, string data`
    case write(handle: [UInt8], offset: UInt64, data: [UInt8])
    /// `string filename`
    case remove(path: String)
    /// `string path, ATTRS attrs`
    case makeDirectory(path: String)
    /// `string path`
    case realPath(path: String)
    /// `string path`
    case stat(path: String)
    /// `string oldpath, string newpath`
    case rename(from: String, to: String)
    /// EXTENDED `posix-rename@openssh.com`: `string oldpath, string newpath`; replaces `to`.
    case posixRename(from: String, to: String)

    struct OpenFlags: OptionSet, Sendable, Hashable {
        let rawValue: UInt32
        static let read = OpenFlags(rawValue: 0x01)
        static let write = OpenFlags(rawValue: 0x02)
        static let create = OpenFlags(rawValue: 0x08)
        static let truncate = OpenFlags(rawValue: 0x10)
    }

    var name: String {
        switch self {
        case .initialize: "INIT"
        case .open(let path, _, _): "OPEN \(path)"
        case .close: "CLOSE"
        case .write(_, let offset, _): "WRITE at \(offset)"
        case .remove(let path): "REMOVE \(path)"
        case .makeDirectory(let path): "MKDIR \(path)"
        case .realPath(let path): "REALPATH \(path)"
        case .stat(let path): "STAT \(path)"
        case .rename(let from, let to), .posixRename(let from, let to): "RENAME \(from) to \(to)"
        }
    }

    /// The whole packet, length prefix included.
    func encoded(id: UInt32) -> [UInt8] {
        var body = SSHWireWriter()
        func attributes(permissions: UInt32?) {
            if let permissions {
                body.uint32(0x04)  // SSH_FILEXFER_ATTR_PERMISSIONS
                body.uint32(permissions)
            } else {
                body.uint32(0)
            }
        }
        switch self {
        case .initialize(let version):
            body.byte(1)
            body.uint32(version)
        case .open(let path, let flags, let permissions):
            body.byte(3)
            body.uint32(id)
            body.text(path)
            body.uint32(flags.rawValue)
            attributes(permissions: permissions)
        case .close(let handle):
            body.byte(4)
            body.uint32(id)
            body.string(handle)
        case .write(let handle, let offset, let data):
            body.byte(6)
            body.uint32(id)
            body.string(handle)
            body.uint64(offset)
            body.string(data)
        case .remove(let path):
            body.byte(13)
            body.uint32(id)
            body.text(path)
        case .makeDirectory(let path):
            body.byte(14)
            body.uint32(id)
            body.text(path)
            attributes(permissions: nil)
        case .realPath(let path):
            body.byte(16)
            body.uint32(id)
            body.text(path)
        case .stat(let path):
            body.byte(17)
            body.uint32(id)
            body.text(path)
        case .rename(let from, let to):
            body.byte(18)
            body.uint32(id)
            body.text(from)
            body.text(to)
        case .posixRename(let from, let to):
            body.byte(200)
            body.uint32(id)
            body.text("posix-rename@openssh.com")
            body.text(from)
            body.text(to)
        }
        var packet = SSHWireWriter()
        packet.string(body.bytes)
        return packet.bytes
    }
}

/// A server packet, without its length prefix.
enum SFTPResponse: Sendable, Hashable {
    /// VERSION: `uint32 version`, then `string name, string data` per extension.
    case version(UInt32, extensions: [String])
    /// STATUS: `uint32 id, uint32 code, string message, string language`.
    case status(id: UInt32, code: UInt32, message: String)
    /// HANDLE: `uint32 id, string handle`.
    case handle(id: UInt32, [UInt8])
    /// NAME: `uint32 id, uint32 count`, then `string filename, string longname, ATTRS` each.
    /// Only the file names are kept.
    case name(id: UInt32, [String])
    /// ATTRS: `uint32 id, ATTRS`; only the size is kept (`nil` when the server left it out).
    case attributes(id: UInt32, size: UInt64?)

    struct Malformed: Error, Hashable, CustomStringConvertible {
        var description: String
    }

    var id: UInt32? {
        switch self {
        case .version: nil
        case .status(let id, _, _), .handle(let id, _), .name(let id, _),
            .attributes(let id, _):
            id
        }
    }

    init(packet: [UInt8]) throws(Malformed) {
        var reader = SSHWireReader(packet)
        do {
            let type = try reader.byte("type")
            switch type {
            case 2:
                let version = try reader.uint32("version")
                var extensions: [String] = []
                while reader.remaining > 0, extensions.count < 64 {
                    extensions.append(try reader.text("extension name"))
                    _ = try reader.string("extension data")
                }
                self = .version(version, extensions: extensions)
            case 101:
                let id = try reader.uint32("id")
                let code = try reader.uint32("status code")
                // Servers before version 3 may omit the message; it is optional here.
                let message = try reader.remaining > 0 ? reader.text("status message") : ""
                self = .status(id: id, code: code, message: message)
            case 102:
                self = .handle(id: try reader.uint32("id"), try reader.string("handle"))
            case 104:
                let id = try reader.uint32("id")
                let count = try reader.uint32("name count")
                var names: [String] = []
                for _ in 0..<min(count, 1024) {
                    names.append(try reader.text("filename"))
                    _ = try reader.string("longname")
                    _ = try Self.size(from: &reader)
                }
                self = .name(id: id, names)
            case 105:
                let id = try reader.uint32("id")
                self = .attributes(id: id, size: try Self.size(from: &reader))
            default:
                throw Malformed(description: "unexpected SFTP packet type \(type)")
            }
        } catch let truncated as SSHWireReader.Truncated {
            throw Malformed(description: "SFTP packet \(truncated)")
        } catch let malformed as Malformed {
            throw malformed
        } catch {
            throw Malformed(description: "\(error)")
        }
    }

    /*
     ATTRS:
        uint32  flags
        uint64  size            if flags & 0x01
        uint32  uid, gid        if flags & 0x02
        uint32  permissions     if flags & 0x04
        uint32  atime, mtime    if flags & 0x08
        uint32  extended count  if flags & 0x80000000, then string type, string data each
    */
    private static func size(from reader: inout SSHWireReader) throws(SSHWireReader.Truncated)
        -> UInt64?
    {
        let flags = try reader.uint32("attribute flags")
        let size = try flags & 0x01 != 0 ? reader.uint64("size") : nil
        if flags & 0x02 != 0 { _ = try reader.take(8, "uid and gid") }
        if flags & 0x04 != 0 { _ = try reader.take(4, "permissions") }
        if flags & 0x08 != 0 { _ = try reader.take(8, "times") }
        if flags & 0x8000_0000 != 0 {
            let count = try reader.uint32("extended count")
            for _ in 0..<min(count, 1024) {
                _ = try reader.string("extended type")
                _ = try reader.string("extended data")
            }
        }
        return size
    }
}

/// SFTP status codes (`SSH_FX_*`) this client tells apart.
enum SFTPStatusCode {
    static let ok: UInt32 = 0
    static let noSuchFile: UInt32 = 2
    static let permissionDenied: UInt32 = 3

    static func name(_ code: UInt32) -> String {
        switch code {
        case 0: "SSH_FX_OK"
        case 1: "SSH_FX_EOF"
        case 2: "SSH_FX_NO_SUCH_FILE"
        case 3: "SSH_FX_PERMISSION_DENIED"
        case 4: "SSH_FX_FAILURE"
        case 5: "SSH_FX_BAD_MESSAGE"
        case 6: "SSH_FX_NO_CONNECTION"
        case 7: "SSH_FX_CONNECTION_LOST"
        case 8: "SSH_FX_OP_UNSUPPORTED"
        default: "SSH_FX_\(code)"
        }
    }
}
