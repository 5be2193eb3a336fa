import Inotify

/// One event as the printers see it: borrowed bytes, valid during the call
/// that hands it over, so that a burst is printed without an allocation per event.
struct EventLine {
    /// `%w`: the watched path as the user gave it, with `/` after a directory;
    /// in recursive mode, the directory the event happened in.
    var watched: UnsafeRawBufferPointer
    /// `%f`: the name inside that directory; empty for an event on the watched path itself.
    var name: UnsafeRawBufferPointer
    var mask: Inotify.EventMask
    var cookie: UInt32
}
