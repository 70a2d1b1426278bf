/// Calendar fields of an instant in UTC, and the three textual forms the storage APIs use.
/// Computed from the epoch seconds directly (days-from-civil inverse), so signing is a pure
/// function of its inputs and needs no formatter or time-zone database.
public struct UTCTime: Sendable, Hashable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// 0 = Sunday.
    public let weekday: Int

    public init(epochSeconds: Int64) {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondsOfDay = Int(epochSeconds - days * 86_400)
        hour = secondsOfDay / 3600
        minute = secondsOfDay % 3600 / 60
        second = secondsOfDay % 60
        // 1970-01-01 was a Thursday.
        weekday = Int(((days % 7) + 11) % 7)
        // Civil date from days since 1970-01-01 (proleptic Gregorian), era-based.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
    }

    /// `20130524T000000Z` (SigV4 `x-amz-date`).
    public var basicISO8601: String {
        pad(year, 4) + pad(month, 2) + pad(day, 2) + "T" + pad(hour, 2) + pad(minute, 2)
            + pad(second, 2) + "Z"
    }

    /// `20130524` (SigV4 credential scope).
    public var basicDate: String { pad(year, 4) + pad(month, 2) + pad(day, 2) }

    /// `2013-05-24T00:00:00Z` (Azure SAS `st`/`se`).
    public var extendedISO8601: String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(hour, 2) + ":"
            + pad(minute, 2) + ":" + pad(second, 2) + "Z"
    }

    /// `Fri, 24 May 2013 00:00:00 GMT` (RFC 1123, Azure `x-ms-date`).
    public var rfc1123: String {
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        return weekdays[weekday] + ", " + pad(day, 2) + " " + months[month - 1] + " "
            + pad(year, 4) + " " + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
            + " GMT"
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
