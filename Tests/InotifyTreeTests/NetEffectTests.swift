@testable import InotifyTree
import Foundation
import InotifyTestSupport
import SystemPackage
import Testing
import InotifyTestLanes

/// The net effect of a burst, from changes made by hand: what each common
/// sequence (an editor's save, a checkout, a rename and back) comes to.
@Suite("The net effect of a burst of changes", .inBlockingLane)
struct NetEffectTests {
    static func change(_ kind: Change.Kind, _ path: String, directory: Bool = false) -> Change {
        Change(kind, path: FilePath(path), root: "/r", isDirectory: directory)
    }

    static func net(_ changes: [Change]) -> [String] {
        var effect = NetEffect()
        for change in changes { effect.apply(change) }
        return effect.result().map(\.description)
    }

    @Test("vim's save (probe file 4913, main.rs renamed to main.rs~, main.rs written anew, the backup deleted) is one modified main.rs")
    func vimSave() {
        #expect(Self.net([
            Self.change(.created, "4913"), Self.change(.closedAfterWrite, "4913"), Self.change(.deleted, "4913"),
            Self.change(.moved(from: "main.rs"), "main.rs~"),
            Self.change(.created, "main.rs"), Self.change(.modified, "main.rs"), Self.change(.closedAfterWrite, "main.rs"),
            Self.change(.attributesChanged, "main.rs"),
            Self.change(.deleted, "main.rs~"),
        ]) == ["modified main.rs"])
    }

    @Test("a file closed after it was deleted (its CLOSE_WRITE after the DELETE) stays deleted, or absent if it was new")
    func closedAfterDeletion() {
        #expect(Self.net([
            Self.change(.created, "4913"), Self.change(.deleted, "4913"), Self.change(.closedAfterWrite, "4913"),
        ]) == [])
        #expect(Self.net([
            Self.change(.deleted, "old"), Self.change(.closedAfterWrite, "old"), Self.change(.attributesChanged, "old"),
        ]) == ["deleted old"])
        // Made again after: that one's writes count.
        #expect(Self.net([
            Self.change(.deleted, "f"), Self.change(.created, "f"), Self.change(.closedAfterWrite, "f"),
        ]) == ["modified f"])
    }

    @Test("a save through a temporary file renamed onto the original is one modified")
    func renameOntoSave() {
        #expect(Self.net([
            Self.change(.created, ".main.rs.tmp"), Self.change(.modified, ".main.rs.tmp"),
            Self.change(.moved(from: ".main.rs.tmp"), "main.rs"),
        ]) == ["modified main.rs"])
    }

    @Test("made and removed within the burst: absent; deleted and made again: modified")
    func transient() {
        #expect(Self.net([Self.change(.created, "a"), Self.change(.modified, "a"), Self.change(.deleted, "a")]).isEmpty)
        #expect(Self.net([Self.change(.deleted, "a"), Self.change(.created, "a")]) == ["modified a"])
        #expect(Self.net([Self.change(.deleted, "d", directory: true), Self.change(.created, "d", directory: true)])
                == ["deleted d/", "created d/"])
    }

    @Test("a directory moved is one move; what moved with it is not listed; a file written in it is modified where it is now")
    func directoryMove() {
        #expect(Self.net([
            Self.change(.modified, "src/a.c"),
            Self.change(.moved(from: "src"), "lib", directory: true),
            Self.change(.attributesChanged, "lib/b.c"),
        ]) == ["moved src/ -> lib/", "modified lib/a.c", "attributesChanged lib/b.c"])
    }

    @Test("renamed and renamed back: only what was written; a chain of renames: one move from the first to the last")
    func renames() {
        #expect(Self.net([Self.change(.moved(from: "a"), "b"), Self.change(.moved(from: "b"), "a")]).isEmpty)
        #expect(Self.net([Self.change(.moved(from: "a"), "b"), Self.change(.moved(from: "b"), "c")]) == ["moved a -> c"])
    }

    @Test("deleted: at the path it had before, once for a directory, also after its directory moved")
    func deletions() {
        #expect(Self.net([Self.change(.deleted, "d/f"), Self.change(.deleted, "d", directory: true)]) == ["deleted d/"])
        #expect(Self.net([Self.change(.moved(from: "d"), "e", directory: true), Self.change(.deleted, "e/f")])
                == ["deleted d/f", "moved d/ -> e/"])
        #expect(Self.net([Self.change(.movedOut, "x", directory: true)]) == ["deleted x/"])
    }

    @Test("a file moved into a directory that is then deleted is deleted where it was")
    func movedThenGoneWithDirectory() {
        #expect(Self.net([
            Self.change(.moved(from: "f"), "d/f"), Self.change(.deleted, "d/f"), Self.change(.deleted, "d", directory: true),
        ]) == ["deleted d/", "deleted f"])
    }

    @Test("a rename onto an existing file: one move, which replaces it")
    func renameOntoExisting() {
        #expect(Self.net([Self.change(.moved(from: "a"), "b")]) == ["moved a -> b"])
        #expect(Self.net([Self.change(.deleted, "b"), Self.change(.moved(from: "a"), "b")]) == ["deleted b", "moved a -> b"])
    }

    @Test("a file moved away and a new one made in its place: the move, and a new file")
    func movedAwayAndMadeAgain() {
        #expect(Self.net([Self.change(.moved(from: "a"), "a.bak"), Self.change(.created, "a")])
                == ["moved a -> a.bak", "created a"])
    }

    @Test("the kernel's limit: a file a rename replaced, then vacated again, is not reported deleted")
    func replacedThenVacated() {
        // `mv a b; mv b c` with b there before: nothing says b was there.
        #expect(Self.net([Self.change(.moved(from: "a"), "b"), Self.change(.moved(from: "b"), "c")]) == ["moved a -> c"])
    }

    @Test("created in a new directory: each is created; an overflow marks the batch; notices are kept apart")
    func createdAndMarked() {
        var effect = NetEffect()
        for change in [Self.change(.movedIn, "n", directory: true), Self.change(.created, "n/a"),
                       Self.change(.overflow, ""), Self.change(.unwatched(reason: "limit"), "x", directory: true)] {
            effect.apply(change)
        }
        #expect(effect.result().map(\.description) == ["created n/", "created n/a"])
        #expect(effect.needsResync)
        #expect(effect.notices.count == 1)
    }
}

/// Random bursts on a model of a tree, reported as the tree watcher
/// reports them: the net effect, applied to the tree as it was (deletions,
/// then moves, then the rest), must give the tree as it is.
@Suite("The net effect rebuilds the tree, on random bursts", .inBlockingLane)
struct NetEffectModelTests {
    /// Path -> is a directory.
    typealias Model = [String: Bool]

    static func parent(_ path: String) -> String {
        path.split(separator: "/").dropLast().joined(separator: "/")
    }

    static func subtree(_ model: Model, _ path: String) -> [String] {
        model.keys.filter { $0 == path || $0.hasPrefix(path + "/") }
    }

    /// One random operation on `model`, and the changes the watcher reports for it.
    static func step(_ model: inout Model, _ replaced: inout Set<String>, _ random: inout SplitMix64) -> [Change] {
        func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[Int(random.next() % UInt64(items.count))] }
        let directories = [""] + model.filter(\.value).map(\.key).sorted()
        let names = ["a", "b", "c", "d", "e"]
        func change(_ kind: Change.Kind, _ path: String, _ directory: Bool) -> Change {
            Change(kind, path: FilePath(path), root: "/r", isDirectory: directory)
        }
        func fresh() -> String? {
            guard let directory = pick(directories), let name = pick(names) else { return nil }
            let path = directory.isEmpty ? name : directory + "/" + name
            return model[path] == nil ? path : nil
        }
        switch random.next() % 7 {
        case 0, 1:  // a file or a directory made
            guard let path = fresh() else { return [] }
            let directory = random.next() % 3 == 0
            model[path] = directory
            return [change(.created, path, directory)]
        case 2:  // a file written or touched
            guard let file = pick(model.filter { !$0.value }.map(\.key).sorted()) else { return [] }
            return [change(random.next() % 2 == 0 ? .modified : .attributesChanged, file, false)]
        case 3:  // rm -rf: the deepest first
            guard let path = pick(model.keys.sorted()), !replaced.contains(where: { $0 == path || $0.hasPrefix(path + "/") })
            else { return [] }
            let doomed = subtree(model, path).sorted { $0.count > $1.count }
            let changes = doomed.map { change(.deleted, $0, model[$0]!) }
            for item in doomed { model.removeValue(forKey: item) }
            return changes
        default:  // a rename, onto a fresh name or onto a file (a file onto a file)
            guard let from = pick(model.keys.sorted()) else { return [] }
            let isDirectory = model[from]!
            // What a rename replaced is not said by the kernel (see
            // NetEffect): a path a rename replaced is not vacated again.
            // (nor moved along with a directory, where it could be vacated unseen).
            guard !replaced.contains(where: { $0 == from || $0.hasPrefix(from + "/") }) else { return [] }
            var target = fresh()
            if target == nil || random.next() % 3 == 0, !isDirectory {
                target = pick(model.filter { !$0.value && $0.key != from }.map(\.key).sorted()) ?? target
            }
            guard let to = target, !to.hasPrefix(from + "/"), to != from else { return [] }
            if model[to] != nil { replaced.insert(to) }
            let moving = subtree(model, from)
            var moved: Model = [:]
            for item in moving { moved[to + item.dropFirst(from.count)] = model.removeValue(forKey: item) }
            for item in subtree(model, to) { model.removeValue(forKey: item) }
            model.merge(moved) { $1 }
            return [change(.moved(from: FilePath(from)), to, isDirectory)]
        }
    }

    /// `before` with `net` applied, as ``SettledChange/Kind-swift.enum/deleted``
    /// says: every entry goes with the deepest move that holds it (or
    /// stays); one at or below a deleted path goes, unless the move it
    /// goes with left from inside that path; the moved entries are put at
    /// their targets; then the rest.
    static func apply(_ net: [SettledChange], to before: Model) -> Model {
        let moves = net.compactMap { change -> (source: String, target: String)? in
            if case .moved(let from) = change.kind { (from.string, change.path.string) } else { nil }
        }
        let deleted = net.filter { $0.kind == .deleted }.map(\.path.string)
        func within(_ item: String, _ path: String) -> Bool { item == path || item.hasPrefix(path + "/") }
        var model: Model = [:]
        var moved: Model = [:]
        for (item, isDirectory) in before {
            let move = moves.filter { within(item, $0.source) }.max { $0.source.count < $1.source.count }
            let goes = deleted.contains { deletedPath in
                within(item, deletedPath) && !(move.map { within($0.source, deletedPath) && $0.source != deletedPath } ?? false)
            }
            if goes { continue }
            if let move {
                moved[move.target + item.dropFirst(move.source.count)] = isDirectory
            } else {
                model[item] = isDirectory
            }
        }
        for target in moved.keys { for item in subtree(model, target) { model.removeValue(forKey: item) } }
        model.merge(moved) { $1 }
        for change in net where change.kind == .created || change.kind == .modified {
            model[change.path.string] = change.isDirectory
        }
        return model
    }

    static let seed: UInt64 = ProcessInfo.processInfo.environment["NET_EFFECT_SEED"].flatMap { UInt64($0) } ?? 20_261_204

    @Test("1,000 random bursts of 1 to 40 operations on trees of up to 30 entries")
    func randomBursts() {
        print("net effect seed \(Self.seed)")
        var random = SplitMix64(seed: Self.seed)
        for round in 0..<1000 {
            var model: Model = [:]
            var replaced = Set<String>()
            for _ in 0..<Int(random.next() % 30) { _ = Self.step(&model, &replaced, &random) }
            let before = model
            replaced = []
            var changes: [Change] = []
            for _ in 0..<(1 + Int(random.next() % 40)) { changes += Self.step(&model, &replaced, &random) }
            var effect = NetEffect()
            for change in changes { effect.apply(change) }
            let net = effect.result()
            let rebuilt = Self.apply(net, to: before)
            if rebuilt != model {
                Issue.record("""
                    round \(round) (seed \(Self.seed)): rebuilt \(rebuilt.keys.sorted()), the tree \(model.keys.sorted())
                    before: \(before.keys.sorted())
                    changes: \(changes.map(\.description))
                    net: \(net.map(\.description))
                    """)
                return
            }
            // Each path once in the net effect, but for a move that was also written.
            let paths = net.filter { if case .moved = $0.kind { false } else { true } }.map(\.path)
            #expect(Set(paths).count == paths.count || net.contains { $0.kind == .deleted }, "\(net)")
        }
    }
}
