/// What watches the paths: inotify (inotifywait's watches) or fanotify
/// (fsnotifywait's marks). inotify-tools 4 chooses it by the program's name
/// and `-I`, `-F`, `-S`, the last one given winning; so does this tool.
enum Backend: Sendable, Hashable {
    case inotify
    case fanotify
}
