// A plan a process follows from its start, for tests that run the package's
// executable as a process of its own, where no task-local reaches.

#if INOTIFY_FAULTS
import CInotify
import Glibc
import SystemPackage

extension FaultPlan {
    /// The variable that holds the process's plan.
    static let environmentVariable = "INOTIFY_FAULT_PLAN"

    /// The plan in ``environmentVariable``, read once; nil where it is unset.
    ///
    /// `;` separates calls, `,` their faults, in order: an errno by name
    /// (`EIO`) or number, or `pass`, each repeated with `*N`; `call@name`
    /// plans faults for calls about one name only (`write@stdout`: the
    /// standard streams are named `stdin`, `stdout`, `stderr`). For example
    /// `read=EINTR*1000,pass,EIO;poll=EINTR`: the first 1,000 reads are
    /// interrupted (and retried), the next one goes through, the one after
    /// fails with EIO. A plan that cannot be read stops the process: a test
    /// would otherwise pass for the wrong reason.
    static let environment: FaultPlan? = {
        guard let value = getenv(environmentVariable) else { return nil }
        let text = String(cString: value)
        guard let plan = FaultPlan(parsing: text) else {
            fatalError("\(environmentVariable)='\(text)' is not a fault plan: see FaultPlan.environment")
        }
        return plan
    }()

    convenience init?(parsing text: String) {
        self.init(faults: [:])
        for entry in text.split(separator: ";") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let target = parts[0].split(separator: "@", maxSplits: 1)
            guard let call = Syscall(rawValue: String(target[0])) else { return nil }
            var faults: [Fault] = []
            for item in parts[1].split(separator: ",") {
                let repeated = item.split(separator: "*", maxSplits: 1)
                guard let fault = Self.parsedFault(String(repeated[0])) else { return nil }
                let count = repeated.count == 2 ? Int(repeated[1]) : 1
                guard let count, count > 0 else { return nil }
                faults += repeatElement(fault, count: count)
            }
            on(call, named: target.count == 2 ? String(target[1]) : nil, faults)
        }
    }

    private func on(_ call: Syscall, named name: String?, _ faults: [Fault]) {
        if let name { on(call, named: name, faults) } else { queue(call, faults) }
    }

    private static func parsedFault(_ name: String) -> Fault? {
        if name == "pass" { return .pass }
        if let number = Int32(name), number > 0 { return .fail(Errno(rawValue: number)) }
        // strerrorname_np knows every errno the kernel has; 4095 is the kernel's largest.
        for code in 1..<CInt(4096) {
            if let known = cinotify_errno_name(code), String(cString: known) == name {
                return .fail(Errno(rawValue: code))
            }
        }
        return nil
    }
}
#endif
