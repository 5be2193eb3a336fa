# swift-inotify: build, install and package the `inotify` command line.
#
#   make                      the self-contained release binary, its man pages and completions
#   make install              into PREFIX (default /usr/local); DESTDIR for a staged install
#                             (`make && sudo make install`: the build as you, the install as root)
#   make uninstall            removes exactly what install put there
#   make check-install        install into a temporary DESTDIR, smoke-test it, uninstall, check nothing is left
#   make release              a tarball of the staged install, with its SHA-256
#
# The binary is linked statically (-static-executable: the Swift runtime, its
# standard libraries and glibc inside), so it runs on any Linux machine of
# its architecture, with or without Swift. Its man pages and completions are printed by the
# binary itself from the option table its help comes from (`inotify --man`,
# `inotify --completions`), so they cannot drift from `--help`.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASH_COMPLETION_DIR ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETION_DIR ?= $(PREFIX)/share/zsh/site-functions
FISH_COMPLETION_DIR ?= $(PREFIX)/share/fish/vendor_completions.d

SWIFT ?= swift
STRIP ?= strip
INSTALL ?= install
SCRATCH ?= .build-release
STAGE := $(SCRATCH)/stage

# -static-executable: no shared library from the toolchain at run time (the
# plain release build needs ten), and no dynamic loader at start: half of
# a one-shot command's start-up went to relocating libstdc++ and the Swift
# libraries. The frontend flag has concrete generic types made by direct
# metadata accessors instead of by demangling their names at run time,
# which a one-shot command paid for about 40 times (Benchmarks/README,
# "Start-up").
SWIFT_BUILD_FLAGS ?= -c release --product inotify --scratch-path $(SCRATCH) \
	-Xswiftc -static-executable \
	-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors

# The names `inotify` answers to as a drop-in (CommandSpec.linkNames), and its
# man pages (`inotify --man-pages`); a test checks both lists against the binary.
LINKS = inotifywait inotifywatch fsnotifywait fsnotifywatch
MANPAGES = inotify inotify-wait inotify-stats inotify-events inotify-run inotify-fsnotifywait \
	inotify-fsnotifywatch inotifywait inotifywatch fsnotifywait fsnotifywatch

VERSION := $(shell sed -n 's/.*static let version = "\(.*\)".*/\1/p' Sources/InotifyCommandLine/Docs/ProjectVersion.swift)
ARCH := $(shell uname -m)
RELEASE_NAME = swift-inotify-$(VERSION)-linux-$(ARCH)

.PHONY: all build docs install uninstall check-install release clean print-binary print-version \
	print-links print-manpages

# Files, not phony steps, so that `make && sudo make install` builds once, as
# the user: root's PATH (sudo's secure_path) often has no swift.
SOURCES := Package.swift $(shell find Sources -type f)
BINARY := $(STAGE)/bin/inotify
DOCS := $(STAGE)/.docs

all: $(BINARY) $(DOCS)

build: $(BINARY)

docs: $(DOCS)

$(BINARY): $(SOURCES)
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)
	mkdir -p $(STAGE)/bin
	$(STRIP) -o $(BINARY) $(SCRATCH)/release/inotify

# The man pages and completions, printed by the binary just built.
$(DOCS): $(BINARY)
	mkdir -p $(STAGE)/man $(STAGE)/completions
	for page in $(MANPAGES); do $(BINARY) --man $$page > $(STAGE)/man/$$page.1 || exit 1; done
	$(BINARY) --completions bash > $(STAGE)/completions/inotify.bash
	$(BINARY) --completions zsh > $(STAGE)/completions/_inotify
	$(BINARY) --completions fish > $(STAGE)/completions/inotify.fish
	touch $(DOCS)

install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASH_COMPLETION_DIR) \
		$(DESTDIR)$(ZSH_COMPLETION_DIR) $(DESTDIR)$(FISH_COMPLETION_DIR)
	$(INSTALL) -m 755 $(BINARY) $(DESTDIR)$(BINDIR)/inotify
	for link in $(LINKS); do ln -sf inotify $(DESTDIR)$(BINDIR)/$$link || exit 1; done
	for page in $(MANPAGES); do $(INSTALL) -m 644 $(STAGE)/man/$$page.1 $(DESTDIR)$(MANDIR)/man1/$$page.1 || exit 1; done
	# bash-completion and fish load a command's completions by its name: one
	# file for inotify, links for the drop-in names (the script covers them all).
	$(INSTALL) -m 644 $(STAGE)/completions/inotify.bash $(DESTDIR)$(BASH_COMPLETION_DIR)/inotify
	for link in $(LINKS); do ln -sf inotify $(DESTDIR)$(BASH_COMPLETION_DIR)/$$link || exit 1; done
	$(INSTALL) -m 644 $(STAGE)/completions/_inotify $(DESTDIR)$(ZSH_COMPLETION_DIR)/_inotify
	$(INSTALL) -m 644 $(STAGE)/completions/inotify.fish $(DESTDIR)$(FISH_COMPLETION_DIR)/inotify.fish
	for link in $(LINKS); do ln -sf inotify.fish $(DESTDIR)$(FISH_COMPLETION_DIR)/$$link.fish || exit 1; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/inotify
	for link in $(LINKS); do rm -f $(DESTDIR)$(BINDIR)/$$link; done
	for page in $(MANPAGES); do rm -f $(DESTDIR)$(MANDIR)/man1/$$page.1; done
	rm -f $(DESTDIR)$(BASH_COMPLETION_DIR)/inotify
	for link in $(LINKS); do rm -f $(DESTDIR)$(BASH_COMPLETION_DIR)/$$link; done
	rm -f $(DESTDIR)$(ZSH_COMPLETION_DIR)/_inotify
	rm -f $(DESTDIR)$(FISH_COMPLETION_DIR)/inotify.fish
	for link in $(LINKS); do rm -f $(DESTDIR)$(FISH_COMPLETION_DIR)/$$link.fish; done

check-install: all
	Scripts/check-install $(STAGE)/bin/inotify

release: all
	rm -rf $(SCRATCH)/release-root $(SCRATCH)/$(RELEASE_NAME).tar.gz
	$(MAKE) install DESTDIR=$(CURDIR)/$(SCRATCH)/release-root PREFIX=/$(RELEASE_NAME)
	cp README.md CHANGELOG.md $(SCRATCH)/release-root/$(RELEASE_NAME)/
	tar -C $(SCRATCH)/release-root --owner=0 --group=0 --numeric-owner --sort=name \
		-czf $(SCRATCH)/$(RELEASE_NAME).tar.gz $(RELEASE_NAME)
	cd $(SCRATCH) && sha256sum $(RELEASE_NAME).tar.gz > $(RELEASE_NAME).tar.gz.sha256
	@echo "$(SCRATCH)/$(RELEASE_NAME).tar.gz"
	@cat $(SCRATCH)/$(RELEASE_NAME).tar.gz.sha256

clean:
	rm -rf $(SCRATCH)

print-binary:
	@echo $(CURDIR)/$(BINARY)

print-version:
	@echo $(VERSION)

print-links:
	@echo $(LINKS)

print-manpages:
	@echo $(MANPAGES)
