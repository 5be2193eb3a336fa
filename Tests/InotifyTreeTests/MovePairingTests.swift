@testable import Inotify
@testable import InotifyTree
import SystemPackage
import Testing
import InotifyTestLanes

/// The waiting halves of renames, without a kernel or a thread.
@Suite("Rename halves waiting for their pair", .inBlockingLane)
struct MovePairingTests {
    static func half(_ cookie: UInt32, parent: Int32 = 1, deadline: ContinuousClock.Instant) -> MovePairing.PendingMove {
        let name = EventName(Array("n\(cookie)".utf8))
        return MovePairing.PendingMove(
            cookie: cookie, parent: parent, name: name, path: FilePath(names: [name]), isDirectory: false,
            event: Inotify.Event(wd: parent, mask: .movedFrom, cookie: cookie), deadline: deadline)
    }

    @Test("a half waits until its window has passed, and its pair takes it by cookie")
    func windowAndCookie() {
        var pairing = MovePairing(window: .milliseconds(20), limit: 10)
        let start = ContinuousClock.now
        #expect(pairing.wait(Self.half(7, deadline: pairing.deadline(from: start))) == nil)
        #expect(pairing.wait(Self.half(8, deadline: pairing.deadline(from: start.advanced(by: .milliseconds(5))))) == nil)
        #expect(pairing.nextDeadline == start.advanced(by: .milliseconds(20)))
        #expect(pairing.firstExpired(by: start.advanced(by: .milliseconds(19))) == nil)
        #expect(pairing.firstExpired(by: start.advanced(by: .milliseconds(20)))?.cookie == 7)
        #expect(pairing.take(cookie: 7)?.cookie == 7)
        #expect(pairing.take(cookie: 7) == nil)
        #expect(pairing.nextDeadline == start.advanced(by: .milliseconds(25)))
    }

    @Test("past the bound, the oldest half no longer waits and is handed back")
    func bound() {
        var pairing = MovePairing(window: .seconds(1), limit: 2)
        let now = ContinuousClock.now
        #expect(pairing.wait(Self.half(1, deadline: now)) == nil)
        #expect(pairing.wait(Self.half(2, deadline: now)) == nil)
        #expect(pairing.wait(Self.half(3, deadline: now))?.cookie == 1)
        #expect(pairing.take(cookie: 2)?.cookie == 2)
        #expect(pairing.take(cookie: 3)?.cookie == 3)
    }

    @Test("settling judges each half after the one before it is settled, oldest first; the rest wait on")
    func settleInOrder() {
        var pairing = MovePairing(window: .seconds(1), limit: 10)
        let now = ContinuousClock.now
        for (cookie, parent) in [(1, 5), (2, 6), (3, 5), (4, 7)] as [(UInt32, Int32)] {
            _ = pairing.wait(Self.half(cookie, parent: parent, deadline: now))
        }
        // Settling the first half of directory 5 takes directory 7 away as well.
        var gone: Set<Int32> = [5]
        var settled: [UInt32] = []
        pairing.settle(where: { gone.contains($0.parent) }) { move in
            settled.append(move.cookie)
            gone.insert(7)
        }
        #expect(settled == [1, 3, 4])
        #expect(pairing.take(cookie: 2)?.cookie == 2)
        #expect(pairing.nextDeadline == nil)
    }
}

/// What the tree keeps for git's rules, apart from the tree.
@Suite("The ignore rules' state", .inBlockingLane)
struct IgnoreStateTests {
    static func state() -> IgnoreState {
        let rules = IgnoreRules(root: "/nonexistent/root", environment: ["HOME": "/nonexistent", "XDG_CONFIG_HOME": "/nonexistent"])
        return IgnoreState(rules: rules, watchesGitDirectory: false)
    }

    @Test("a .gitignore's problems are reported once, and again once fixed and broken again; a move takes them along")
    func problemsOnce() {
        var state = Self.state()
        let problem = IgnoreProblem(file: "/nonexistent/root/d/.gitignore", line: 2, message: "never matches")
        #expect(state.unreported([problem], of: "d") == [problem])
        #expect(state.unreported([problem], of: "d").isEmpty)
        #expect(state.unreported([], of: "d").isEmpty)
        #expect(state.unreported([problem], of: "d") == [problem])
        state.moveReportedProblems(from: "d", to: "e")
        #expect(state.unreported([problem], of: "d") == [problem])
        let moved = IgnoreProblem(file: "/nonexistent/root/e/.gitignore", line: 2, message: "never matches")
        #expect(state.unreported([moved], of: "e").isEmpty)
        state.forget(under: "e")
        #expect(state.unreported([moved], of: "e") == [moved])
    }

    @Test("the tree-wide files' problems are reported once per appearance")
    func treeWideOnce() {
        var state = Self.state()
        let problem = IgnoreProblem(file: "/nonexistent/.config/git/ignore", line: 0, message: "cannot be read")
        #expect(state.unreportedTreeWide([problem]) == [problem])
        #expect(state.unreportedTreeWide([problem]).isEmpty)
        #expect(state.unreportedTreeWide([]).isEmpty)
        #expect(state.unreportedTreeWide([problem]) == [problem])
    }

    @Test(".git is out of sight unless watched; the rules are changing while a walk is due or not passed")
    func sightAndChange() {
        var state = Self.state()
        let git = EventName(Array(".git".utf8))
        #expect(state.hides(".git", name: git, isDirectory: true))
        #expect(!state.hides("src", name: EventName(Array("src".utf8)), isDirectory: true))
        #expect(!state.isChanging)
        state.walked.append(IgnoreState.Walked(
            item: IgnoreState.Reconsideration(wd: 1, before: state.rules, oldPath: nil), start: 10, end: 20))
        state.consumerKnows[WatchTree.ChildKey(parent: 1, name: git)] = true
        #expect(state.isChanging)
        state.passedWalks(19)
        #expect(state.isChanging)
        state.passedWalks(20)
        #expect(!state.isChanging)
        state.forgetRulesChange()
        #expect(state.consumerKnows.isEmpty)
    }
}
