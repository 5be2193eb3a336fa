import Foundation

/// `value` encoded as JSON with sorted keys (so a test can pin the text) and
/// decoded again: the decoded value and the text.
public func jsonRoundTrip<Value: Codable>(_ value: Value) throws -> (Value, String) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let data = try encoder.encode(value)
    return (try JSONDecoder().decode(Value.self, from: data), String(decoding: data, as: UTF8.self))
}
