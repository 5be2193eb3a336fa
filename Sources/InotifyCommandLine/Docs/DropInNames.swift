/// The names `inotify` answers to as the tool it stands in for
/// (`inotifywait`), each with the command it runs under that name, in
/// ``Command`` order: what the man pages and the completions list.
enum DropInNames {
    static var all: [(name: String, command: Command)] {
        CommandSpec.all.flatMap { spec in spec.linkNames.map { (name: $0, command: spec.command) } }
    }
}
