/// Ends the process with `message` when `condition` is false: libFuzzer
/// takes the trap as a crash, saves the input and fails the run. (A
/// `precondition` would lose its message in an optimized build.)
public func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
