// inotify-limit-probe: the library and the tree watcher at the kernel's own
// limits. A test runs it inside a user namespace of its own whose
// /proc/sys/user/max_inotify_watches or max_inotify_instances it has
// lowered (`unshare -U -r`, which a threaded test process cannot do to
// itself), and reads what it prints: one line per fact, `key value`.
import Glibc
import Inotify
import InotifyTree
import SystemPackage

/// Prints one fact; a newline in a value would split it, so none is kept.
func say(_ key: String, _ value: Any = "") {
    let text = "\(value)".split(separator: "\n").joined(separator: " ")
    let line = Array((text.isEmpty ? key : "\(key) \(text)").utf8) + [0x0A]
    _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }  // unbuffered: the test reads as it goes
}

/// Adds watches on DIR/0, DIR/1, ... until one fails; the failure's errno
/// and text, and whether the instance's table still holds exactly the
/// watches that were made.
func watchLimit(_ directory: String) throws {
    let inotify = try Inotify()
    var made: [Inotify.WatchDescriptor: FilePath] = [:]
    var index = 0
    while true {
        let path = FilePath(directory).appending(String(index))
        do {
            made[try inotify.addWatch(path, mask: .create)] = path
        } catch {
            say("added", made.count)
            say("errno", error.errno.rawValue)
            say("message", error.description)
            say("table-matches", inotify.watches == made)
            say("table-has-failed", inotify.watches.values.contains(path))
            return
        }
        index += 1
    }
}

/// Makes an instance: at an instance limit of 0, the error.
func instanceLimit() {
    do {
        _ = try Inotify()
        say("made")
    } catch {
        say("errno", error.errno.rawValue)
        say("message", error.description)
    }
}

/// A tree watcher with `.fail` over a tree larger than the limit.
func treeFails(_ root: String) {
    do {
        _ = try TreeWatcher(root: FilePath(root))
        say("made")
    } catch let error as Inotify.Error {
        say("errno", error.errno.rawValue)
        say("message", error.description)
    } catch {
        say("other", error)
    }
}

/// A tree watcher with `.continueAndReport`: each directory it could not
/// watch, then a file made in every directory; each creation reported.
func treeContinues(_ root: String) async throws {
    var options = TreeWatcher.Options()
    options.onWatchLimit = .continueAndReport
    let tree = try TreeWatcher(root: FilePath(root), options: options)
    say("watched", tree.watchedDirectories)
    var unwatched: [FilePath] = []
    var directories: [FilePath] = []
    let entries = (try? listDirectory(root)) ?? []
    for name in entries { directories.append(FilePath(name)) }
    // The first scan's changes come first: one per directory (the root and
    // its subdirectories) that holds no watch.
    let expected = directories.count + 1 - tree.watchedDirectories
    var iterator = tree.changes.makeAsyncIterator()
    while unwatched.count < expected, let change = try await iterator.next() {
        if case .unwatched(let reason) = change.kind {
            unwatched.append(change.path)
            say("unwatched", "\(change.path) \(reason)")
        }
    }
    let watched = directories.filter { !unwatched.contains($0) }
    for directory in directories {
        let file = FilePath(root).appending(directory.components).appending("probe-file")
        let fd = open(file.string, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
        if fd >= 0 { close(fd) }
    }
    // Every watched directory's file is reported; the last of them made ends the wait.
    var created: Set<FilePath> = []
    while created.count < watched.count, let change = try await iterator.next() {
        if change.kind == .created, change.path.lastComponent == "probe-file" {
            created.insert(change.path.removingLastComponent())
            say("created", change.path)
        }
    }
    say("done", "\(created.count) of \(watched.count) watched, \(unwatched.count) unwatched")
    tree.close()
}

func listDirectory(_ path: String) throws -> [String] {
    guard let stream = opendir(path) else { throw Errno(rawValue: errno) }
    defer { closedir(stream) }
    var names: [String] = []
    while let entry = readdir(stream) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        if name != "." && name != ".." && entry.pointee.d_type == DT_DIR { names.append(name) }
    }
    return names.sorted()
}

// A probe that waits for what never comes ends itself, and the test sees it.
alarm(60)
let arguments = CommandLine.arguments
switch (arguments.count > 1 ? arguments[1] : "", arguments.count > 2 ? arguments[2] : "") {
case ("watch-limit", let directory) where !directory.isEmpty: try watchLimit(directory)
case ("instance-limit", _): instanceLimit()
case ("tree-fail", let root) where !root.isEmpty: treeFails(root)
case ("tree-continue", let root) where !root.isEmpty: try await treeContinues(root)
default:
    say("usage: inotify-limit-probe watch-limit DIR | instance-limit | tree-fail ROOT | tree-continue ROOT")
    exit(2)
}
