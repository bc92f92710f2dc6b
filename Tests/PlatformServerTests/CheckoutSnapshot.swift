import Foundation
import PlatformTestKit
import Testing

/// The checkout's working tree committed into a private repository.
///
/// A release's contract-drift evidence is made from an `appctl contract check --json` report,
/// and the platform counts it only for a clean tree whose commit is the release's source SHA
/// (a dirty tree is `incomplete`, never a pass). The process and docs tests that walk a
/// release run against the sources this build was compiled from, committed or not, so they
/// check a snapshot of exactly those files (tracked and untracked, not ignored) committed
/// in a fresh repository: clean, with a commit of its own to name.
enum CheckoutSnapshot {
    /// Copies the working tree of `root` to `destination`, commits it there, and returns the commit.
    static func make(of root: URL, at destination: URL, log: URL) async throws -> String {
        let script = """
            set -euo pipefail
            mkdir -p "$2"
            cd "$1"
            git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
              if [ -e "$file" ] || [ -L "$file" ]; then printf '%s\\0' "$file"; fi
            done | xargs -0 -r cp -d --parents -t "$2"
            cd "$2"
            git init -q
            git add -A
            git -c user.name=snapshot -c user.email=snapshot@example.com -c commit.gpgsign=false commit -qm "working tree snapshot"
            git rev-parse HEAD
            """
        let process = try ChildProcess("/bin/bash", ["-c", script, "snapshot", root.path, destination.path], outputPath: log.path)
        let status = await process.wait(timeout: .seconds(120))
        let output = process.output
        try #require(status == 0, "snapshot of \(root.path): \(output)")
        let commit = try #require(output.split(whereSeparator: \.isNewline).last.map(String.init), "\(output)")
        try #require(commit.count == 40 && commit.allSatisfy(\.isHexDigit), "\(output)")
        return commit
    }
}
