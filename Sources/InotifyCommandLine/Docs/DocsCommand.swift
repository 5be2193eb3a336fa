/// `inotify --man <page>`, `inotify --man-pages` and `inotify --completions
/// <shell>`: the man pages and shell completions, printed by the binary they
/// document so that they are made from the same tables as its help.
enum DocsCommand {
    /// The options this runs, as `inotify`'s first argument.
    static let options = ["--man", "--man-pages", "--completions"]

    /// Runs `arguments`, which start with one of ``options``; returns the exit status.
    static func run(_ arguments: [String]) -> Int32 {
        let option = arguments.first ?? ""
        let values = Array(arguments.dropFirst())
        switch option {
        case "--man":
            let names = ManPage.all.map(\.name)
            guard values.count == 1 else {
                printError("inotify: --man takes the name of one page: \(names.joined(separator: ", ")).")
                return 1
            }
            guard let page = ManPage.named(values[0]) else {
                printError("inotify: there is no man page '\(values[0])'; the pages are \(names.joined(separator: ", ")).")
                return 1
            }
            print(page.render(), terminator: "")
            return 0
        case "--man-pages":
            guard values.isEmpty else {
                printError("inotify: --man-pages takes no value.")
                return 1
            }
            print(ManPage.all.map(\.name).joined(separator: "\n"))
            return 0
        case "--completions":
            let shells = CompletionShell.allCases.map(\.rawValue)
            guard values.count == 1, let shell = CompletionShell(rawValue: values[0]) else {
                let given = values.isEmpty ? "no shell" : "'\(values.joined(separator: " "))'"
                printError("inotify: --completions takes a shell, \(shells.joined(separator: ", ")), not \(given).")
                return 1
            }
            print(shell.script(), terminator: "")
            return 0
        default:
            printError("inotify: unknown option '\(option)'.")
            return 1
        }
    }
}
