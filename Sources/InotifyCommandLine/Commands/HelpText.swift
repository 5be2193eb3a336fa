/// `--help` for each command, printed to standard output.
enum HelpText {
    static func top() {
        print("""
            USAGE: inotify <subcommand> [options] path...

            Linux inotify(7) from the command line. Also answers to the names
            inotifywait and inotifywatch (ln -s inotify inotifywait).

            SUBCOMMANDS:
              wait      Wait for events; a drop-in inotifywait (with -r that misses nothing)
              stats     Count events per file; a drop-in inotifywatch
              events    Print the raw kernel events, one per line, as py-inotify prints them

            See 'inotify <subcommand> --help' for each one's options.
            """)
    }

    static func wait(program: String) {
        print("""
            USAGE: \(program) [options] path... [@excluded-path...]

            Waits for events on the paths and prints them. Without -m it exits after
            the first event.

            OPTIONS:
              -h, --help            This text.
              @<path>               Do not watch <path> (with -r: nor anything below it).
              -m, --monitor         Keep printing events until --timeout passes or nothing is left to watch.
              -d, --daemon          Like --monitor, in the background, printing to --outfile; implies --syslog.
              -r, --recursive       Watch every directory below the paths. Files made in new
                                    directories are reported, renamed directories report their new paths,
                                    and an overflow is followed by a rescan.
              --gitignore           With -r: watch and report only what git does not ignore (.gitignore
                                    files, .git/info/exclude, the global excludes file); never .git.
              -P, --no-dereference  Watch symbolic links themselves, not what they point to.
              -e, --event <events>  Events to report: a comma list, any case, repeatable (default: all).
              -t, --timeout <s>     Give up after <s> seconds without an event (exit 2); 0 waits forever.
              -q, --quiet           Do not print the set-up messages; -qq prints nothing at all.
              -o, --outfile <file>  Append events to <file> instead of standard output.
              -s, --syslog          Send messages to syslog instead of standard error.
              --fromfile <file>     Read paths to watch, one per line, from <file> ('-': standard input).
              --exclude <regex>     Do not report events whose path (%w%f) matches the POSIX extended
                                    regular expression; repeat to exclude several. --excludei: any case.
              --include <regex>     Report only events whose path matches one of the patterns.
                                    --includei: any case.
              -c, --csv             Print events as CSV: watched,EVENTS,name.
              --format <fmt>        Print events with a printf-like format:
                                      %w watched path   %f file name   %e events, comma-separated
                                      %Xe events separated by X   %T time (--timefmt)   %c cookie
                                      %0 a NUL byte   %n a newline   %% a percent sign
              --no-newline          Do not add a newline after --format.
              --timefmt <fmt>       strftime(3) format for %T.
              --json                One JSON object per event per line; names that are not UTF-8
                                    are kept exactly in base64 fields. An overflow, a rescan, a
                                    watch's end, an unmount and an unwatched directory are records
                                    too, told by their "notice" key.
              --null                Print each event's path (%w%f) followed by a NUL byte.
              -I, --inotify         Use inotify: the only back end. -F (--fanotify) and -S (--filesystem)
                                    are accepted and use it too, as Debian's inotify-tools does.

            EVENTS:
              access modify attrib close_write close_nowrite close open moved_to moved_from move
              move_self create delete delete_self unmount ignored all_events

            EXIT STATUS:
              0  an event asked for occurred
              1  an error, or an event not asked for occurred (the watch deleted or unmounted)
              2  --timeout passed without an event
            """)
    }

    static func stats(program: String) {
        print("""
            USAGE: \(program) [options] path... [@excluded-path...]

            Counts events per file until --timeout passes or it is interrupted
            (SIGINT, SIGTERM), then prints a table. SIGUSR1 prints the table so far.

            OPTIONS:
              -h, --help            This text.
              @<path>               Do not watch <path> (with -r: nor anything below it).
              -v, --verbose         Say more while setting up.
              -r, --recursive       Watch every directory below the paths.
              --gitignore           With -r: watch and count only what git does not ignore; never .git.
              -P, --no-dereference  Watch symbolic links themselves, not what they point to.
              -z, --zero            Show every event's column and every watched file, even those with 0.
              -e, --event <events>  Events to count: a comma list, any case, repeatable (default: all).
              -t, --timeout <s>     Stop after <s> seconds; 0 runs until interrupted.
              -a, --ascending <ev>  Sort by the count of event <ev> (or 'total'), ascending.
              -d, --descending <ev> Sort by the count of event <ev> (or 'total'), descending (default: total).
              --fromfile <file>     Read paths to watch, one per line, from <file> ('-': standard input).
              --exclude <regex>     Do not count events whose path matches; repeatable. --excludei: any case.
              --include <regex>     Count only events whose path matches one of the patterns.
                                    --includei: any case.
              -I, --inotify         Use inotify: the only back end (-F and -S are accepted, as -I).
            """)
    }

    static func events(program: String) {
        print("""
            USAGE: \(program) [--mask <events>] [--count <n>] path...

            Prints every event the kernel sends for the paths, one per line, as
            py-inotify prints them: Event(wd=1, mask=256, cookie=0, len=16, name='f').
            Nothing is filtered, merged or interpreted: IN_IGNORED, IN_UNMOUNT and
            IN_Q_OVERFLOW appear as they come.

            OPTIONS:
              -h, --help            This text.
              -e, --mask <events>   Events to watch: a comma list, any case (default: all_events).
              -n, --count <n>       Exit after <n> events.
            """)
    }
}
