import Testing

@testable import Storage

@Suite struct SFTPMessageTests {
    @Test func openEncodesFlagsAndPermissions() {
        let bytes = SFTPRequest.open(
            path: "a/b", flags: [.write, .create, .truncate], permissions: 0o644
        ).encoded(id: 7)
        #expect(
            bytes == [
                0, 0, 0, 24,  // length
                3,  // SSH_FXP_OPEN
                0, 0, 0, 7,  // id
                0, 0, 0, 3, 0x61, 0x2f, 0x62,  // "a/b"
                0, 0, 0, 0x1a,  // WRITE | CREAT | TRUNC
                0, 0, 0, 4,  // attribute flags: permissions
                0, 0, 0x01, 0xa4,  // 0644
            ])
    }

    @Test func writeEncodesOffsetAndData() {
        let bytes = SFTPRequest.write(handle: [9, 8], offset: 0x1_0000_0002, data: [1, 2, 3])
            .encoded(id: 0x0102_0304)
        #expect(
            bytes == [
                0, 0, 0, 26, 6, 1, 2, 3, 4,
                0, 0, 0, 2, 9, 8,
                0, 0, 0, 1, 0, 0, 0, 2,
                0, 0, 0, 3, 1, 2, 3,
            ])
    }

    @Test func posixRenameIsAnExtendedRequest() {
        let bytes = SFTPRequest.posixRename(from: "x", to: "y").encoded(id: 1)
        let name = Array("posix-rename@openssh.com".utf8)
        #expect(
            bytes == [0, 0, 0, UInt8(1 + 4 + 4 + name.count + 10), 200, 0, 0, 0, 1, 0, 0, 0, UInt8(name.count)]
                + name + [0, 0, 0, 1, 0x78, 0, 0, 0, 1, 0x79])
    }

    /// A VERSION packet as OpenSSH 9 sends it (first two extensions).
    @Test func versionListsExtensions() throws {
        var writer = SSHWireWriter()
        writer.byte(2)
        writer.uint32(3)
        writer.text("posix-rename@openssh.com")
        writer.text("1")
        writer.text("statvfs@openssh.com")
        writer.text("2")
        #expect(
            try SFTPResponse(packet: writer.bytes)
                == .version(3, extensions: ["posix-rename@openssh.com", "statvfs@openssh.com"]))
    }

    @Test func statusNameAndAttributesParse() throws {
        #expect(
            try SFTPResponse(packet: [101, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 2, 0x6e, 0x6f, 0, 0, 0, 0])
                == .status(id: 5, code: 2, message: "no"))
        // NAME with one entry whose ATTRS has size, uid/gid, permissions and times.
        var name = SSHWireWriter()
        name.byte(104)
        name.uint32(9)
        name.uint32(1)
        name.text("/home/u/f")
        name.text("")
        name.uint32(0x0f)
        name.uint64(42)
        for _ in 0..<5 { name.uint32(1) }
        #expect(try SFTPResponse(packet: name.bytes) == .name(id: 9, ["/home/u/f"]))
        #expect(
            try SFTPResponse(packet: [105, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x10, 0])
                == .attributes(id: 3, size: 4096))
    }

    @Test func truncatedAndRandomPacketsFailWithTypedErrors() {
        var name = SSHWireWriter()
        name.byte(104)
        name.uint32(9)
        name.uint32(2)
        name.text("/a")
        name.text("-rw")
        name.uint32(0x8000_0001)
        name.uint64(1)
        name.uint32(1)
        name.text("k")
        name.text("v")
        let packet = name.bytes
        for length in 0..<packet.count {
            #expect(throws: SFTPResponse.Malformed.self) {
                try SFTPResponse(packet: Array(packet.prefix(length)))
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let random = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? SFTPResponse(packet: [[2, 101, 102, 104, 105].randomElement()!] + random)
        }
    }
}
