import Inotify
import SystemPackage

// Entry events of names git's rules hide, and of names whose decision the
// rules are changing under the events (Options.gitIgnore). What the consumer
// was told decides what an event means to it: a rename out of sight is a
// move out, one into sight a move in, and one onto a name in sight replaced
// what the consumer has there.

extension TreeEngine {
    /// What git's rules make of an entry event of `name` in directory
    /// `event.wd` (`path`): whether they hide it now, and whether the
    /// consumer has it out of sight (the same, unless the rules are changing
    /// and a walk is still to tell); nil where a walk listed the name after
    /// the event and said what became of it.
    func sight(
        of event: Inotify.Event, name: EventName, path: FilePath, isDirectory: Bool, position: UInt64
    ) -> (hidden: Bool, wasHidden: Bool)? {
        let key = WatchTree.ChildKey(parent: event.wd.rawValue, name: name)
        let hidden = ignores(path, name: name, isDirectory: isDirectory)
        var wasHidden = hidden
        guard ignore!.isChanging else {
            ignore!.forgetRulesChange()
            return (hidden, wasHidden)
        }
        if let at = ignore!.walkSuperseded[key], position < at, !event.mask.isDisjoint(with: Self.entryEvents) {
            return nil
        }
        if let told = ignore!.consumerKnows[key] {
            wasHidden = !told
        } else {
            wasHidden = consumerHasOutOfSight(path, parent: event.wd.rawValue, name: name, isDirectory: isDirectory, position: position)
        }
        if !event.mask.isDisjoint(with: [.create, .movedTo]) {
            ignore!.consumerKnows[key] = !hidden  // reported where it is in sight
        } else if !event.mask.isDisjoint(with: [.delete, .movedFrom]) {
            ignore!.consumerKnows[key] = false  // gone from there, reported or not
        }
        return (hidden, wasHidden)
    }

    /// Whether the consumer has the entry `name` of directory `parent`
    /// (`path`), an event at `position` is about, out of sight: what the
    /// rules decided before a change whose walk is still to come, or came
    /// after this event without seeing the entry, where one covers the path
    /// (at the path it had then); what they decide now elsewhere.
    private func consumerHasOutOfSight(
        _ path: FilePath, parent: Int32, name: EventName, isDirectory: Bool, position: UInt64
    ) -> Bool {
        // Listed by a reporting scan after a walk began: reported by the rules of then.
        let listedAt = ignore!.listedWhileChanging[parent]
        func decidedBefore(_ item: IgnoreState.Reconsideration) -> Bool? {
            guard let top = tree.cachedPath(of: item.wd) else { return nil }
            var below = path
            guard top.isEmpty || below.removePrefix(top) else { return nil }
            let then = item.oldPath ?? top
            return ignore!.hid(below.isEmpty ? then : then.pushing(below), name: name, isDirectory: isDirectory, by: item.before)
        }
        if listedAt == nil {
            for item in ignore!.reconsiderations {
                if let hidden = decidedBefore(item) { return hidden }
            }
        }
        for walk in ignore!.walked where position < walk.end {
            if let listedAt, listedAt > walk.start { continue }
            if let hidden = decidedBefore(walk.item) { return hidden }
        }
        return ignores(path, name: name, isDirectory: isDirectory)
    }

    /// An entry event of a name git's rules hide. Nothing is reported but a
    /// rename that takes a visible entry out of sight (a move out), or one
    /// onto a name the consumer has in sight (what it has there is gone); the
    /// rename's halves are still paired, so that one bringing an ignored
    /// entry into sight is a move in; and like every entry event it settles
    /// the unpaired renames of its directory. `wasHidden`: the consumer has
    /// it out of sight too (false where the rules changed and the walk that
    /// tells the consumer is still to come: its deletion is reported then).
    func handleHidden(
        _ event: Inotify.Event, name: EventName, path: FilePath, isDirectory: Bool, wasHidden: Bool,
        now: ContinuousClock.Instant, _ out: inout [Change]
    ) throws {
        guard !event.mask.isDisjoint(with: Self.entryEvents) else { return }
        scanned.remove(WatchTree.ChildKey(parent: event.wd.rawValue, name: name))
        if event.mask.contains(.delete), !wasHidden {
            try flushPendingMoves(from: event.wd.rawValue, &out)
            report(.deleted, path, isDirectory: isDirectory, [event], &out)
            if isDirectory, let deleted = tree.child(of: event.wd.rawValue, named: name) { try unwatchSubtree(deleted) }
            if isDirectory { forgetIgnoreFiles(under: path) }
            return
        }
        // A rename onto a name the consumer has in sight (the rules hid it
        // since; the walk that tells is still to come, or passed it before
        // this) replaced what the consumer has there: that is gone.
        let replacesInSight = event.mask.contains(.movedTo) && !wasHidden
        // A directory the tree still holds at the name (an empty one the
        // rename replaced) is gone, in sight or not.
        if event.mask.contains(.movedTo), isDirectory, let replaced = tree.child(of: event.wd.rawValue, named: name) {
            try letGo(replaced, &out)
            forgetIgnoreFiles(under: path)
        }
        if event.mask.contains(.movedTo), let from = moves.take(cookie: event.cookie) {
            try flushPendingMoves(from: event.wd.rawValue, &out)
            if replacesInSight { report(.deleted, path, isDirectory: isDirectory, [event], &out) }
            try movedOut(from, &out)
            return
        }
        try flushPendingMoves(from: event.wd.rawValue, &out)
        if replacesInSight { report(.deleted, path, isDirectory: isDirectory, [event], &out) }
        if event.mask.contains(.movedFrom) {
            try awaitPair(event, name: name, path: path, isDirectory: isDirectory, now: now, ignored: wasHidden, &out)
        }
    }
}
