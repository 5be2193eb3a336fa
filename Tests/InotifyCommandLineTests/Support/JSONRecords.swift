import Foundation
import Testing

/// `--json` output read back as the objects it holds.
enum JSONRecords {
    /// One object per line of `stdout`; a line that is not a JSON object,
    /// or output that does not end its last line, is an issue.
    static func parse(_ stdout: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
        if let last = stdout.last, last != UInt8(ascii: "\n") {
            Issue.record("output ends inside a line", sourceLocation: sourceLocation)
        }
        var objects: [[String: Any]] = []
        for line in stdout.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                Issue.record("not a JSON object: \(String(decoding: line, as: UTF8.self))", sourceLocation: sourceLocation)
                continue
            }
            objects.append(object)
        }
        return objects
    }

    /// The records that carry a `notice`, as (notice, path) pairs.
    static func notices(_ records: [[String: Any]]) -> [(notice: String, path: String)] {
        records.compactMap { record in
            guard let notice = record["notice"] as? String else { return nil }
            return (notice, record["path"] as? String ?? "")
        }
    }
}
